package dev.streamedge.rtp;

import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.media.codec.AvcConfig;

/**
 * A video track as the session description gives it: H.264 or H.265, exactly one of the two configurations set.
 *
 * @param payloadType the dynamic RTP payload type, 96..127
 * @param avc the H.264 configuration, or null
 * @param hevc the H.265 parameter sets, or null
 */
public record VideoTrack(int payloadType, AvcConfig avc, HevcParameterSets hevc) {

  public static final int DEFAULT_PAYLOAD_TYPE = 96;

  public VideoTrack {
    if ((avc == null) == (hevc == null)) {
      throw new IllegalArgumentException("a video track is H.264 or H.265");
    }
    if (payloadType < 96 || payloadType > 127) {
      throw new IllegalArgumentException("dynamic payload type " + payloadType);
    }
  }

  public static VideoTrack h264(AvcConfig avc) {
    return new VideoTrack(DEFAULT_PAYLOAD_TYPE, avc, null);
  }

  public static VideoTrack h265(HevcParameterSets hevc) {
    return new VideoTrack(DEFAULT_PAYLOAD_TYPE, null, hevc);
  }

  /** The encoding name of {@code a=rtpmap}. */
  public String encodingName() {
    return avc != null ? "H264" : "H265";
  }
}
