package dev.streamedge.rtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of what a publisher's FLV bodies do to an RTSP player's packetizer (docs/fuzzing.md):
 * an encoder set up for both tracks is given the sequence headers of a real H.264 and AAC stream, or of an HEVC
 * one (the input's first byte picks), then the rest of the input as video and audio bodies, whole and behind the
 * packet headers a publisher sends; and an encoder whose audio track is G.711 (PCMU) the input as audio, whole and
 * behind FLV's µ-law flags. {@link RtpTrackEncoder#encode} never throws, and what it returns is whole
 * interleaved RTP: each frame on the track's channel, version 2, its payload type, no payload past the limit.
 */
@Tag("fuzz")
class RtpCoverageFuzzTest {

  private static final int MAX_PAYLOAD = 200;
  /** An x264 640x360 AVCDecoderConfigurationRecord (SPS and PPS), behind FLV's AVC sequence header bytes. */
  private static final ByteBuf AVC_HEADER = hex("1700000000" + "0164001effe1001a6764001eacd940a02ff97011000003"
      + "000100000300320f162d9601000668ebe3cb22c0");
  /** AAC LC, 44.1 kHz stereo. */
  private static final ByteBuf AAC_HEADER = hex("af001210");
  /** x265's record for 320x240 in Enhanced RTMP's sequence start of hvc1. */
  private static final ByteBuf HEVC_HEADER = hex("90" + "68766331" + H265PacketizerTest.HVCC);

  @FuzzTest(maxDuration = "15s", maxExecutions = 60_000)
  void anyFlvBodyEncodesToWholeInterleavedRtpOrToNothing(byte[] input) {
    if (input.length == 0) {
      return;
    }
    RtpTrackEncoder encoder = new RtpTrackEncoder(new RtpTrackEncoder.Setup(0, 1, 0xFFF0, 0xFFFF_FF00L),
        new RtpTrackEncoder.Setup(2, 2, 7, 0), MAX_PAYLOAD);
    boolean hevc = (input[0] & 1) != 0;
    int aac = AudioTrack.DEFAULT_PAYLOAD_TYPE;
    check(aac, encoder.encode(MediaKind.VIDEO, 0, (hevc ? HEVC_HEADER : AVC_HEADER).duplicate()));
    check(aac, encoder.encode(MediaKind.AUDIO, 0, AAC_HEADER.duplicate()));
    ByteBuf rest = Unpooled.wrappedBuffer(input, 1, input.length - 1);
    long timestamp = input[0] & 0xFF;
    // As it came, then behind a keyframe's header (legacy or Enhanced RTMP's), then behind an AAC frame's.
    check(aac, encoder.encode(MediaKind.VIDEO, timestamp, rest.duplicate()));
    ByteBuf keyframe = hevc ? Unpooled.wrappedBuffer(hex("93" + "68766331"), rest.duplicate())
        : Unpooled.wrappedBuffer(hex("1701000000"), rest.duplicate());
    check(aac, encoder.encode(MediaKind.VIDEO, timestamp + 40, keyframe));
    check(aac, encoder.encode(MediaKind.AUDIO, timestamp + 23, rest.duplicate()));
    check(aac, encoder.encode(MediaKind.AUDIO, timestamp + 46,
        Unpooled.wrappedBuffer(hex("af01"), rest.duplicate())));
    // A track described as G.711 (PCMU): the input as it came, and behind FLV's µ-law flags.
    RtpTrackEncoder pcmu = new RtpTrackEncoder(new RtpTrackEncoder.Setup(0, 1, 0xFFF0, 0xFFFF_FF00L),
        new RtpTrackEncoder.Setup(2, 2, 7, 0), AudioTrack.PCMU, MAX_PAYLOAD);
    check(AudioTrack.PCMU, pcmu.encode(MediaKind.AUDIO, timestamp, rest.duplicate()));
    check(AudioTrack.PCMU, pcmu.encode(MediaKind.AUDIO, timestamp + 20,
        Unpooled.wrappedBuffer(hex("82"), rest.duplicate())));
  }

  private static void check(int audioPayloadType, ByteBuf out) {
    ByteBuf in = out.duplicate();
    while (in.isReadable()) {
      if (in.readableBytes() < 4 || in.readUnsignedByte() != '$') {
        throw new AssertionError("no interleaved header at " + in.readerIndex());
      }
      int channel = in.readUnsignedByte();
      int length = in.readUnsignedShort();
      if (channel != 0 && channel != 2 || length < RtpPacketWriter.HEADER_LENGTH
          || length > RtpPacketWriter.HEADER_LENGTH + MAX_PAYLOAD || length > in.readableBytes()) {
        throw new AssertionError("frame on channel " + channel + " of " + length + " bytes, "
            + in.readableBytes() + " left");
      }
      int version = in.getUnsignedByte(in.readerIndex()) >> 6;
      int payloadType = in.getUnsignedByte(in.readerIndex() + 1) & 0x7F;
      if (version != 2 || payloadType != (channel == 0 ? VideoTrack.DEFAULT_PAYLOAD_TYPE : audioPayloadType)) {
        throw new AssertionError("RTP version " + version + ", payload type " + payloadType + " on " + channel);
      }
      in.skipBytes(length);
    }
  }

  private static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
  }
}
