package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** BANDWIDTH, AVERAGE-BANDWIDTH and FRAME-RATE per GOP; CODECS and RESOLUTION from the sequence headers. */
@Tag("unit")
class VariantMeterTest {

  private static final String AVC_RECORD = "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";

  @Test
  void peakAndMeanOfTheGopsBetweenKeyframes() {
    VariantMeter meter = new VariantMeter();
    meter.packet(config(MediaKind.VIDEO, "1700000000" + AVC_RECORD));
    meter.packet(config(MediaKind.AUDIO, "af001210"));
    assertThat(meter.reading().codecs()).isEqualTo("avc1.4d401e,mp4a.40.2");
    assertThat(meter.reading().measured()).isFalse();
    // Two GOPs of 25 frames at 40 ms: 1 s each, the first 125,000 bytes (1 Mbit/s), the second 250,000.
    long ts = 0;
    for (int gop = 0; gop < 2; gop++) {
      for (int frame = 0; frame < 25; frame++) {
        meter.packet(video(ts, frame == 0, (gop + 1) * 5000));
        ts += 40;
      }
    }
    meter.packet(video(ts, true, 10));
    VariantMeter.Reading reading = meter.reading();
    assertThat(reading.peakBps()).isEqualTo((long) (2_000_000 * VariantMeter.CONTAINER_MARGIN));
    assertThat(reading.averageBps()).isEqualTo((long) (1_500_000 * VariantMeter.CONTAINER_MARGIN));
    assertThat(reading.fps()).isCloseTo(25.0, within(0.001));
    assertThat(reading.width()).isPositive();
    meter.reset();
    assertThat(meter.reading().measured()).isFalse();
    assertThat(meter.reading().codecs()).isEmpty();
  }

  @Test
  void aCodecWithNoStringLeavesCodecsOut() {
    VariantMeter meter = new VariantMeter();
    meter.packet(config(MediaKind.VIDEO, "1700000000" + AVC_RECORD));
    // Enhanced RTMP Opus: no mp4a string, so no CODECS that would name the video alone.
    meter.packet(config(MediaKind.AUDIO, "9f4f707573"));
    assertThat(meter.reading().codecs()).isEmpty();
  }

  @Test
  void onlyTheLastGopsCount() {
    VariantMeter meter = new VariantMeter();
    long ts = 0;
    meter.packet(video(ts, true, 100_000));
    for (int gop = 0; gop <= VariantMeter.GOPS; gop++) {
      ts += 1000;
      meter.packet(video(ts, true, 1000));
    }
    // The first GOP's 800 kbit/s has left the window: all that is left is 8 kbit/s.
    assertThat(meter.reading().peakBps()).isEqualTo((long) (8000 * VariantMeter.CONTAINER_MARGIN));
  }

  private static MediaPacket config(MediaKind kind, String hex) {
    return new MediaPacket(kind, 0, MediaPacket.Role.CONFIG, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)), 0);
  }

  private static MediaPacket video(long ts, boolean key, int size) {
    return new MediaPacket(MediaKind.VIDEO, ts, key ? MediaPacket.Role.SYNC : MediaPacket.Role.FRAME,
        Unpooled.wrappedBuffer(new byte[size]), 0);
  }
}
