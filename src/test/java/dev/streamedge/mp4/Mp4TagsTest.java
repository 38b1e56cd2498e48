package dev.streamedge.mp4;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** MP4 samples framed as FLV tag bodies (Adobe FLV spec v10.1 §E.4.2.1, §E.4.3.1). */
@Tag("unit")
class Mp4TagsTest {

  private static byte[] bytes(ByteBuf body) {
    try {
      return ByteBufUtil.getBytes(body);
    } finally {
      body.release();
    }
  }

  @Test
  void aVideoSampleIsAnAvcNaluTagWithItsFrameTypeAndSigned24BitCompositionTime() {
    byte[] nal = {0, 0, 0, 2, 0x65, (byte) 0x88};
    Mp4Sample key = new Mp4Sample(true, 0, 80, true, 0, nal.length);
    assertThat(bytes(Mp4Tags.video(key, Unpooled.wrappedBuffer(nal))))
        .isEqualTo(new byte[] {0x17, 1, 0, 0, 80, 0, 0, 0, 2, 0x65, (byte) 0x88});
    Mp4Sample inter = new Mp4Sample(true, 40, -40, false, 0, nal.length);
    assertThat(bytes(Mp4Tags.video(inter, Unpooled.wrappedBuffer(nal))))
        .isEqualTo(new byte[] {0x27, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xD8, 0, 0, 0, 2, 0x65, (byte) 0x88});
  }

  @Test
  void anAudioSampleIsARawAacTag() {
    assertThat(bytes(Mp4Tags.audio(Unpooled.wrappedBuffer(new byte[] {0x21, 0x10}))))
        .isEqualTo(new byte[] {(byte) 0xAF, 1, 0x21, 0x10});
  }
}
