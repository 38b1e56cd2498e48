package dev.streamedge.rtp.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** MP4A-LATM's StreamMuxConfig and AudioMuxElements (RFC 6416 §6.1, ISO/IEC 14496-3 §1.7.3), as GStreamer sends them. */
@Tag("unit")
class LatmTest {

  @Test
  void gstreamersConfigGivesItsAudioSpecificConfigWithTheSbrSyncExtension() throws RtpFormatException {
    // rtpmp4apay's fmtp for avenc_aac at 44.1 kHz mono; its caps' codec_data is 120856e500.
    LatmConfig config = LatmConfig.parse("40002410adca00");
    assertThat(HexFormat.of().formatHex(config.audioSpecificConfig())).isEqualTo("120856e500");
    assertThat(config.framesPerElement()).isEqualTo(1);
  }

  @Test
  void aPlainAacLcConfigEndsAfterItsGaSpecificConfig() throws RtpFormatException {
    // AAC LC at 48 kHz, stereo (AudioSpecificConfig 1190), frameLengthType 0, latmBufferFullness 0xFF.
    LatmConfig config = LatmConfig.parse("400023203fc0");
    assertThat(HexFormat.of().formatHex(config.audioSpecificConfig())).isEqualTo("1190");
  }

  @Test
  void configsThatAreNotReadAreRefused() {
    assertThatThrownBy(() -> LatmConfig.parse("c0002410")).hasMessageContaining("audioMuxVersion 1");
    assertThatThrownBy(() -> LatmConfig.parse("40102410")).hasMessageContaining("program or layer");
    assertThatThrownBy(() -> LatmConfig.parse("4000")).hasMessageContaining("ends early");
    assertThatThrownBy(() -> LatmConfig.parse("zz")).hasMessageContaining("not hex");
    assertThatThrownBy(() -> LatmConfig.parse("40002400")).hasMessageContaining("channel configuration 0");
  }

  @Test
  void framesAfterTheirLengthsAreReadAndAFragmentedElementIsJoinedAtTheMarker() throws RtpFormatException {
    List<AacFrame> frames = new ArrayList<>();
    LatmDepacketizer latm = new LatmDepacketizer(LatmConfig.parse("40002410adca00"), 1024, 4096, frames::add);
    latm.packet(packet(1, 1000, true, "03aabbcc"));
    byte[] big = new byte[300];
    big[299] = 7;
    // 300 = 255 + 45: the length's bytes, then the frame, split over two packets of one timestamp.
    byte[] element = new byte[302];
    element[0] = (byte) 255;
    element[1] = 45;
    System.arraycopy(big, 0, element, 2, 300);
    latm.packet(packet(2, 2024, false, HexFormat.of().formatHex(element, 0, 150)));
    latm.packet(packet(3, 2024, true, HexFormat.of().formatHex(element, 150, 302)));
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).timestamp()).isEqualTo(1000);
    assertThat(ByteBufUtil.hexDump(frames.get(0).raw())).isEqualTo("aabbcc");
    assertThat(frames.get(1).timestamp()).isEqualTo(2024);
    assertThat(ByteBufUtil.getBytes(frames.get(1).raw())).isEqualTo(big);
  }

  @Test
  void aLostFragmentDropsItsElementAndALengthPastTheDataIsMalformed() throws RtpFormatException {
    List<AacFrame> frames = new ArrayList<>();
    LatmDepacketizer latm = new LatmDepacketizer(LatmConfig.parse("40002410adca00"), 1024, 4096, frames::add);
    latm.packet(packet(1, 1000, false, "05aabb"));
    latm.packet(packet(3, 1000, true, "ccddee"));
    latm.packet(packet(4, 2024, true, "09aabb"));
    latm.packet(packet(5, 3048, true, "02aabb"));
    assertThat(latm.lost()).isEqualTo(1);
    assertThat(latm.malformed()).isEqualTo(2);
    assertThat(frames).hasSize(1);
    assertThat(ByteBufUtil.hexDump(frames.get(0).raw())).isEqualTo("aabb");
  }

  private static RtpPacket packet(int sequence, long timestamp, boolean marker, String payloadHex) {
    return new RtpPacket(96, marker, sequence, timestamp, 1, Unpooled.wrappedBuffer(HexFormat.of().parseHex(payloadHex)));
  }
}
