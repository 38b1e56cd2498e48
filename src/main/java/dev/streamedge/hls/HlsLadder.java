package dev.streamedge.hls;

import dev.streamedge.stream.StreamKey;
import java.util.List;

/**
 * Which streams are renditions of one ladder with a given stream (RFC 8216bis §4.4.5.4: the LL-HLS
 * playlist of each reports the others). Defined here so that HLS needs nothing of what makes ladders; the
 * node wires the transcoder's answer in. Called on HLS contexts: it must not block.
 */
@FunctionalInterface
public interface HlsLadder {

  /** No stream has siblings. */
  HlsLadder NONE = key -> List.of();

  /** The other members of {@code key}'s ladder (source and renditions), or none. */
  List<StreamKey> siblings(StreamKey key);
}
