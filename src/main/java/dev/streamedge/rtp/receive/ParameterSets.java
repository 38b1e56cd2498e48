package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The parameter sets an SDP gives a video track out of band: H.264's {@code sprop-parameter-sets} (RFC 6184
 * §8.1, base64 NAL units separated by commas) and H.265's {@code sprop-vps}, {@code sprop-sps} and {@code
 * sprop-pps} (RFC 7798 §7.1). A value that is not base64 is skipped: the stream may still carry its sets in band.
 */
final class ParameterSets {

  private static final int H264_SPS = 7;
  private static final int H265_SPS = 33;
  /** More than any encoder announces; an SDP is at most {@code rtsp.max-request-size} anyway. */
  private static final int MAX_SETS = 16;

  private ParameterSets() {
  }

  /** The NAL units of the track's fmtp parameters, in the order VPS, SPS, PPS (H.265) or as listed (H.264). */
  static List<byte[]> fromFmtp(Map<String, String> fmtp, boolean hevc) {
    List<byte[]> sets = new ArrayList<>();
    if (hevc) {
      for (String key : List.of("sprop-vps", "sprop-sps", "sprop-pps")) {
        decode(fmtp.get(key), sets);
      }
    } else {
      decode(fmtp.get("sprop-parameter-sets"), sets);
    }
    return sets;
  }

  private static void decode(String value, List<byte[]> into) {
    if (value == null) {
      return;
    }
    for (String one : value.split(",")) {
      if (into.size() >= MAX_SETS) {
        return;
      }
      try {
        byte[] nal = Base64.getDecoder().decode(one.strip());
        if (nal.length > 0) {
          into.add(nal);
        }
      } catch (IllegalArgumentException notBase64) {
        // skipped: in-band sets may follow
      }
    }
  }

  /** The sets in Annex B (each behind a four-byte start code), or null when there are none. */
  static ByteBuf annexB(List<byte[]> sets) {
    if (sets.isEmpty()) {
      return null;
    }
    ByteBuf out = Unpooled.buffer();
    for (byte[] nal : sets) {
      out.writeInt(1).writeBytes(nal);
    }
    return out;
  }

  /** Whether {@code nal} (its readable bytes, header first) is a sequence parameter set. */
  static boolean isSps(ByteBuf nal, boolean hevc) {
    if (!nal.isReadable()) {
      return false;
    }
    int header = nal.getUnsignedByte(nal.readerIndex());
    return hevc ? (header >> 1 & 0x3F) == H265_SPS : (header & 0x1F) == H264_SPS;
  }
}
