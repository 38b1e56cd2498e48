package dev.streamedge.hls;

import dev.streamedge.dash.DashSegment;
import io.vertx.core.buffer.Buffer;

/**
 * A finished media segment of a live HLS stream, in each variant: MPEG-TS and fMP4. Shared by every
 * request that serves it: nobody may modify {@code data} or {@code fmp4}.
 *
 * @param sequence media sequence number (RFC 8216 §6.2.1), only ever growing, never reused
 * @param discontinuitySequence discontinuity sequence number of this segment: how many
 *     EXT-X-DISCONTINUITY tags precede it in the stream, its own included
 * @param discontinuity whether EXT-X-DISCONTINUITY precedes this segment
 * @param durationMillis its duration: the next segment's first DTS minus its own
 * @param programDateTimeMillis wall clock (epoch milliseconds) of its first frame
 * @param data the transport stream, starting with PAT and PMT; encrypted with {@code key} when there is one
 * @param fmp4 the same media as one fMP4 fragment (moof + mdat)
 * @param initId the init segment the fragment needs, see {@link HlsMuxer#init}
 * @param file {@code data}'s copy in a file, once {@link SegmentFiles} has written it
 * @param dash the same media as MPEG-DASH serves it, each track alone; null when {@code hls.dash} is off
 * @param key the AES-128 key {@code data} is encrypted with ({@code hls.keys}); null when it is not
 */
public record HlsSegment(
    long sequence,
    long discontinuitySequence,
    boolean discontinuity,
    long durationMillis,
    long programDateTimeMillis,
    Buffer data,
    Buffer fmp4,
    long initId,
    SegmentFile file,
    DashSegment dash,
    HlsKey key) {

  /** A segment whose MPEG-TS has no file yet, without DASH. */
  public HlsSegment(long sequence, long discontinuitySequence, boolean discontinuity, long durationMillis,
      long programDateTimeMillis, Buffer data, Buffer fmp4, long initId) {
    this(sequence, discontinuitySequence, discontinuity, durationMillis, programDateTimeMillis, data, fmp4, initId,
        new SegmentFile(), null, null);
  }

  public double durationSeconds() {
    return durationMillis / 1000.0;
  }

  /** Sizes, not contents: a record's own would decode the bytes, which may be freed once the window let go. */
  @Override
  public String toString() {
    return "HlsSegment[sequence=" + sequence + ", durationMillis=" + durationMillis + ", ts=" + data.length()
        + " bytes, fmp4=" + fmp4.length() + " bytes, initId=" + initId + (key == null ? "" : ", " + key) + "]";
  }
}
