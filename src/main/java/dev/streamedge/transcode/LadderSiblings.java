package dev.streamedge.transcode;

import dev.streamedge.config.TranscodeConfig;
import dev.streamedge.stream.StreamKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of a stream's ladder as the master playlist lists them: the source (with {@code
 * transcode.keep-source}) and {@code <key>_<name>} for each rendition of the ladder. Worked out from the
 * configuration alone, so that it costs no lookup and can be asked on any thread; HLS reports only the
 * siblings it packages, so a rendition that is not running is never reported.
 */
final class LadderSiblings {

  private LadderSiblings() {
  }

  /** The other members of the ladder {@code key} belongs to (as its source or as a rendition), or none. */
  static List<StreamKey> of(StreamKey key, StreamKey source, TranscodeConfig config, List<Rendition> ladder) {
    if (!config.transcodes(key.app())) {
      return List.of();
    }
    if (source.equals(key) && !config.keepSource()) {
      return List.of();
    }
    List<StreamKey> siblings = new ArrayList<>(ladder.size() + 1);
    if (config.keepSource() && !source.equals(key)) {
      siblings.add(source);
    }
    for (Rendition r : ladder) {
      StreamKey rendition = new StreamKey(source.app(), source.name() + "_" + r.name());
      if (!rendition.equals(key)) {
        siblings.add(rendition);
      }
    }
    return siblings;
  }
}
