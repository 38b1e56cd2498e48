package dev.streamedge.cluster.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MediaFrameCodecTest {

  private final MediaFrameCodec codec = new MediaFrameCodec();

  private static String hex(Buffer buffer) {
    return ByteBufUtil.hexDump(((BufferInternal) buffer).getByteBuf());
  }

  @Test
  void frameIsWrittenAsVersionFlagsKindRoleLinkSequenceTimestampLengthBody() {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new MediaFrame(0x0A0B, 0x0102, true, MediaKind.VIDEO, 0xABCDEF, Role.SYNC, false,
        Buffer.buffer(new byte[] {0x17, 0x01})));
    assertThat(hex(wire)).isEqualTo("01" + "01" + "01" + "01" + "0000000000000a0b" + "0000000000000102" + "0000000000abcdef"
        + "00000002" + "1701");
  }

  @Test
  void metadataFlagAndEveryKindAndRoleRoundTrip() {
    for (MediaKind kind : MediaKind.values()) {
      for (Role role : Role.values()) {
        MediaFrame frame = new MediaFrame(3, 7, false, kind, 4_294_967_295L, role, kind == MediaKind.DATA,
            Buffer.buffer("body"));
        Buffer wire = Buffer.buffer("prefix");
        codec.encodeToWire(wire, frame);
        MediaFrame back = codec.decodeFromWire(6, wire);
        assertThat(back).usingRecursiveComparison().isEqualTo(frame);
      }
    }
  }

  @Test
  void localDeliveryHandsOverTheSameFrame() {
    MediaFrame frame = new MediaFrame(3, 1, false, MediaKind.AUDIO, 0, Role.FRAME, false, Buffer.buffer("x"));
    assertThat(codec.transform(frame)).isSameAs(frame);
    assertThat(codec.systemCodecID()).isEqualTo((byte) -1);
  }

  @Test
  void truncatedOrForeignFramesAreRefusedWithAReason() {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new MediaFrame(3, 1, false, MediaKind.AUDIO, 0, Role.FRAME, false, Buffer.buffer("abc")));
    for (int length = 0; length < wire.length(); length++) {
      Buffer cut = wire.getBuffer(0, length);
      assertThatThrownBy(() -> codec.decodeFromWire(0, cut)).isInstanceOf(IllegalArgumentException.class);
    }
    Buffer otherVersion = wire.copy();
    otherVersion.setByte(0, (byte) 2);
    assertThatThrownBy(() -> codec.decodeFromWire(0, otherVersion)).hasMessageContaining("version 2");
    Buffer badKind = wire.copy();
    badKind.setByte(2, (byte) 9);
    assertThatThrownBy(() -> codec.decodeFromWire(0, badKind)).hasMessageContaining("kind 9");
  }

  @Test
  void randomBytesOnlyEverGiveAFrameOrIllegalArgument() {
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      byte[] bytes = new byte[random.nextInt(48)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = 1;
      }
      try {
        codec.decodeFromWire(0, Buffer.buffer(bytes));
      } catch (IllegalArgumentException expected) {
        // refused with a reason
      }
    }
  }
}
