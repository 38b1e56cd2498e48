package dev.streamedge.hls;

import io.vertx.core.buffer.Buffer;

/**
 * A partial segment for LL-HLS (RFC 8216bis §4.4.4.9): one fMP4 fragment ({@code moof} + {@code
 * mdat}) of at most the part target. A segment's fMP4 form is its parts concatenated. Shared by every
 * request that serves it: nobody may modify {@code data}.
 *
 * @param number the part's name, counted over the whole stream so that the next part's URI is known
 *     before its segment is (the EXT-X-PRELOAD-HINT), and its fragment's {@code mfhd} sequence number
 * @param segmentSequence the media sequence number of its parent segment
 * @param index its place in the parent segment, from 0, as {@code _HLS_part} counts
 * @param durationMillis its duration
 * @param independent whether it starts with a keyframe (or is audio only), EXT-X-PART INDEPENDENT=YES
 * @param data the fragment
 */
public record HlsPart(long number, long segmentSequence, int index, long durationMillis, boolean independent,
    Buffer data) {

  /** Sizes, not contents, as {@link HlsSegment#toString}. */
  @Override
  public String toString() {
    return "HlsPart[number=" + number + ", segmentSequence=" + segmentSequence + ", index=" + index
        + ", durationMillis=" + durationMillis + ", " + data.length() + " bytes]";
  }
}
