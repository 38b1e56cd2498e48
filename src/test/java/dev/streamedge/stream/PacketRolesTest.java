package dev.streamedge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PacketRolesTest {

  // FLV tag bodies (video: frame type << 4 | codec 7 = AVC, then the AVC packet type; audio: AAC).
  private static final byte[] AVC_SEQUENCE_HEADER = {0x17, 0x00, 0, 0, 0};
  private static final byte[] AVC_KEYFRAME = {0x17, 0x01, 0, 0, 0};
  private static final byte[] AVC_INTER_FRAME = {0x27, 0x01, 0, 0, 0};
  private static final byte[] AAC_SEQUENCE_HEADER = {(byte) 0xAF, 0x00, 0x12, 0x10};
  private static final byte[] AAC_FRAME = {(byte) 0xAF, 0x01, 0x21};

  private static ByteBuf body(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  @Test
  void sequenceHeadersAndMetadataAreConfiguration() {
    PacketRoles roles = new PacketRoles();
    assertThat(roles.classify(MediaKind.VIDEO, body(AVC_SEQUENCE_HEADER), false)).isEqualTo(Role.CONFIG);
    assertThat(roles.classify(MediaKind.AUDIO, body(AAC_SEQUENCE_HEADER), false)).isEqualTo(Role.CONFIG);
    assertThat(roles.classify(MediaKind.DATA, body(new byte[] {2}), true)).isEqualTo(Role.CONFIG);
    assertThat(roles.classify(MediaKind.DATA, body(new byte[] {2}), false)).isEqualTo(Role.FRAME);
  }

  @Test
  void onlyKeyframesAreStartPointsOnceVideoIsSeen() {
    PacketRoles roles = new PacketRoles();
    assertThat(roles.classify(MediaKind.VIDEO, body(AVC_KEYFRAME), false)).isEqualTo(Role.SYNC);
    assertThat(roles.classify(MediaKind.VIDEO, body(AVC_INTER_FRAME), false)).isEqualTo(Role.FRAME);
    assertThat(roles.classify(MediaKind.AUDIO, body(AAC_FRAME), false)).isEqualTo(Role.FRAME);
  }

  @Test
  void everyAudioFrameIsAStartPointInAnAudioOnlySession() {
    PacketRoles roles = new PacketRoles();
    assertThat(roles.classify(MediaKind.AUDIO, body(AAC_FRAME), false)).isEqualTo(Role.SYNC);
    roles.classify(MediaKind.VIDEO, body(AVC_SEQUENCE_HEADER), false);
    assertThat(roles.classify(MediaKind.AUDIO, body(AAC_FRAME), false)).isEqualTo(Role.FRAME);

    roles.reset();
    assertThat(roles.classify(MediaKind.AUDIO, body(AAC_FRAME), false)).isEqualTo(Role.SYNC);
  }
}
