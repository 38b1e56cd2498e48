package dev.streamedge.rtp.receive;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of what an RTSP publisher sends (docs/fuzzing.md): the input's first byte picks the
 * limit of a unit and the AAC AU-header fields, the rest is RTP packets, each behind one byte of its length.
 * {@link RtpPacket#parse} throws only {@link RtpFormatException}, leaves its input where it was and slices a
 * payload within it; {@link H264Depacketizer}, {@link H265Depacketizer} and {@link AacDepacketizer}, each given
 * every packet, never throw nor move the payload, and what they emit is within the limit: video units start with
 * a start code, AAC frames are not empty, timestamps are 32-bit. {@link SdpDescription#parse} of the input as
 * text throws only RtpFormatException and keeps its bounds, and {@link AacDepacketizer#fromFmtp} of each media's
 * parameters throws only RtpFormatException. {@link LatmDepacketizer} (GStreamer's config) is given every packet
 * too, and the whole {@link FlvFromRtp} of an ffmpeg-like, a GStreamer-like or a camera-like (G.711) SDP every
 * packet as RTP and RTCP:
 * nothing throws, and every FLV body has a timestamp of 0 to 2^32 - 1. {@link LatmConfig#parse} of the input as hex
 * throws only RtpFormatException.
 */
@Tag("fuzz")
class RtpReceiveCoverageFuzzTest {

  private static final int[] MAX_FRAME_SIZES = {16, 64, 300, 4096};
  /** sizelength, indexlength, indexdeltalength: AAC-hbr, AAC-lbr, 16 bits of size alone, 1 bit of size. */
  private static final int[][] AU_HEADERS = {{13, 3, 3}, {6, 2, 2}, {16, 0, 0}, {1, 0, 1}};

  @FuzzTest(maxDuration = "15s", maxExecutions = 60_000)
  void anyPacketsDepacketizeWithinTheLimitsAndOnlyParseRefuses(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int max = MAX_FRAME_SIZES[input[0] & 3];
    int[] fields = AU_HEADERS[input[0] >> 2 & 3];
    H264Depacketizer h264 = new H264Depacketizer(max, unit -> video(unit, max));
    H265Depacketizer h265 = new H265Depacketizer(max, unit -> video(unit, max));
    AacDepacketizer aac = new AacDepacketizer(fields[0], fields[1], fields[2], 1024, max, frame -> audio(frame, max));
    LatmDepacketizer latm = new LatmDepacketizer(GSTREAMER_LATM, 1024, max, frame -> audio(frame, max));
    // The whole ingest, its H.264 or HEVC and AAC tracks (media 0 and 1) fed every packet as RTP and as RTCP.
    FlvFromRtp ingest = ingest(input[0] >> 4 & 3, max);
    int at = 1;
    while (at < input.length) {
      int length = Math.min(input[at] & 0xFF, input.length - at - 1);
      ByteBuf bytes = Unpooled.wrappedBuffer(input, at + 1, length);
      at += 1 + length;
      RtpPacket packet = null;
      try {
        packet = RtpPacket.parse(bytes);
      } catch (RtpFormatException refused) {
        // not RTP: the next packet
      }
      if (bytes.readerIndex() != 0 || bytes.readableBytes() != length) {
        throw new AssertionError("parse moved its input");
      }
      if (packet != null) {
        depacketize(packet, length, h264, h265, aac);
        latm.packet(packet);
      }
      ingest.rtp(at & 1, bytes, at);
      ingest.rtcp(at & 1, bytes, at);
    }
    ingest.end();
    h264.flush();
    h265.flush();
    if (h264.lost() < 0 || h264.oversized() < 0 || h264.malformed() < 0 || h265.lost() < 0
        || h265.oversized() < 0 || h265.malformed() < 0 || aac.lost() < 0 || aac.oversized() < 0
        || aac.malformed() < 0 || latm.lost() < 0 || latm.malformed() < 0 || ingest.malformed() < 0
        || ingest.dropped() < 0) {
      throw new AssertionError("a negative count");
    }
    sdp(new String(input, StandardCharsets.ISO_8859_1));
    try {
      LatmConfig config = LatmConfig.parse(HexFormat.of().formatHex(input, 1, Math.min(input.length, 40)));
      if (config.framesPerElement() < 1 || config.framesPerElement() > 64) {
        throw new AssertionError("frames per element " + config.framesPerElement());
      }
    } catch (RtpFormatException refused) {
      // not a config it reads
    }
  }

  private static final LatmConfig GSTREAMER_LATM = latm("40002410adca00");

  private static LatmConfig latm(String config) {
    try {
      return LatmConfig.parse(config);
    } catch (RtpFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An ingest of ffmpeg's H.264 and AAC tracks, or GStreamer's HEVC and MP4A-LATM ones, checking each body. */
  /** The SDP of form 1 is GStreamer's (HEVC, LATM), of form 2 a camera's (H.264, G.711 as PCMU), else ffmpeg's. */
  private static FlvFromRtp ingest(int form, int max) {
    String sdp = form == 1
        ? "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\nm=audio 0 RTP/AVP 97\r\n"
            + "a=rtpmap:97 MP4A-LATM/44100\r\na=fmtp:97 cpresent=0;config=40002410adca00\r\n"
        : form == 2 ? "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 0 RTP/AVP 0\r\n"
        : "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;"
            + " sprop-parameter-sets=Z2QAHqzZQKAv+XARAAADAAEAAAMAMg8WLZY=,aOvjyyLA\r\nm=audio 0 RTP/AVP 97\r\n"
            + "a=rtpmap:97 MPEG4-GENERIC/44100/2\r\n"
            + "a=fmtp:97 mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1210\r\n";
    try {
      return new FlvFromRtp(SdpDescription.parse(sdp).media(), max, (kind, timestamp, body) -> {
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL || body.readableBytes() < 2) {
          throw new AssertionError(kind + " body of " + body.readableBytes() + " bytes at " + timestamp);
        }
      });
    } catch (RtpFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void depacketize(RtpPacket packet, int length, H264Depacketizer h264, H265Depacketizer h265,
      AacDepacketizer aac) {
    if (packet.payloadType() < 0 || packet.payloadType() > 127 || packet.sequence() < 0
        || packet.sequence() > 0xFFFF || !unsigned32(packet.timestamp()) || !unsigned32(packet.ssrc())) {
      throw new AssertionError("fields out of range: " + packet);
    }
    ByteBuf payload = packet.payload();
    int payloadLength = payload.readableBytes();
    if (payloadLength > length - RtpPacket.HEADER_LENGTH) {
      throw new AssertionError("payload of " + payloadLength + " in " + length);
    }
    h264.packet(packet);
    h265.packet(packet);
    aac.packet(packet);
    if (payload.readerIndex() != 0 || payload.readableBytes() != payloadLength) {
      throw new AssertionError("a depacketizer moved the payload");
    }
  }

  private static void video(AccessUnit unit, int max) {
    ByteBuf annexB = unit.annexB();
    if (annexB.readableBytes() < 4 || annexB.readableBytes() > max) {
      throw new AssertionError("unit of " + annexB.readableBytes() + " bytes, limit " + max);
    }
    if (annexB.getInt(annexB.readerIndex()) != 1) {
      throw new AssertionError("no start code first");
    }
    if (!unsigned32(unit.timestamp())) {
      throw new AssertionError("unit timestamp " + unit.timestamp());
    }
  }

  private static void audio(AacFrame frame, int max) {
    int size = frame.raw().readableBytes();
    if (size < 1 || size > max) {
      throw new AssertionError("AAC frame of " + size + " bytes, limit " + max);
    }
    if (!unsigned32(frame.timestamp())) {
      throw new AssertionError("AAC timestamp " + frame.timestamp());
    }
  }

  private static void sdp(String text) {
    SdpDescription description;
    try {
      description = SdpDescription.parse(text);
    } catch (RtpFormatException refused) {
      return;
    }
    if (description.media().size() > SdpDescription.MAX_MEDIA) {
      throw new AssertionError("media " + description.media().size());
    }
    for (SdpMedia media : description.media()) {
      if (media.payloadType() < 0 || media.payloadType() > 127 || media.channels() < 1 || media.clockRate() < 0
          || media.fmtp().size() > SdpDescription.MAX_PARAMETERS) {
        throw new AssertionError("media " + media);
      }
      for (Map.Entry<String, String> parameter : media.fmtp().entrySet()) {
        if (parameter.getKey().isEmpty() || !parameter.getKey().equals(parameter.getKey().strip())) {
          throw new AssertionError("fmtp key '" + parameter.getKey() + "'");
        }
      }
      try {
        AacDepacketizer.fromFmtp(media.fmtp(), 8191, frame -> { });
      } catch (RtpFormatException refused) {
        // no sizelength, or a field out of range or not read: refused, as it should be
      }
    }
  }

  private static boolean unsigned32(long value) {
    return value >= 0 && value <= 0xFFFF_FFFFL;
  }
}
