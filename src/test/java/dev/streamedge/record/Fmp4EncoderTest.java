package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.testing.Mp4Check;
import dev.streamedge.testing.Mp4Check.TrackFragment;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fMP4 recording encoder: the init segment at the first keyframe, then a fragment as soon as half a
 * second (or the byte bound) has gathered, the fragments' timelines back to back from 0; a changed codec
 * configuration asks for a new file, a repeated one does not.
 */
@Tag("unit")
class Fmp4EncoderTest {

  private static final String AVC_RECORD = "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";
  /** A second H.264 configuration: the same with another profile byte. */
  private static final String OTHER_AVC_RECORD = AVC_RECORD.replaceFirst("^014d", "0142");
  private static final long NO_SIZE_BOUND = 1L << 30;

  @Test
  void theInitComesAtTheFirstKeyframeThenAFragmentEveryHalfSecondBackToBack() {
    Fmp4Encoder encoder = new Fmp4Encoder(NO_SIZE_BOUND);
    ByteBuf start = Unpooled.buffer();
    encoder.start(List.of(videoConfig(AVC_RECORD)), start);
    assertThat(start.readableBytes()).as("nothing before the first frame").isZero();

    List<byte[]> writes = new ArrayList<>();
    // 3 s at 25 fps, keyframes every 2 s, after two frames from before the first keyframe.
    writes.add(write(encoder, frame(false, 100), 0));
    writes.add(write(encoder, frame(false, 100), 0));
    for (int i = 0; i < 75; i++) {
      writes.add(write(encoder, frame(i % 50 == 0, 100), i * 40L));
    }
    ByteBuf end = Unpooled.buffer();
    encoder.finish(end);
    writes.add(ByteBufUtil.getBytes(end));

    assertThat(writes.get(0)).as("frames before the first keyframe are left out").isEmpty();
    assertThat(writes.get(1)).isEmpty();
    assertThat(Mp4Check.tree(writes.get(2))).startsWith("ftyp moov[");
    List<TrackFragment> fragments = new ArrayList<>();
    for (byte[] written : writes.subList(3, writes.size())) {
      if (written.length > 0) {
        assertThat(Mp4Check.tree(written)).startsWith("moof[").endsWith("] mdat");
        fragments.addAll(Mp4Check.fragments(written));
      }
    }
    long next = 0;
    int samples = 0;
    List<Long> durations = new ArrayList<>();
    for (TrackFragment fragment : fragments) {
      assertThat(fragment.baseDecodeTime()).as("each fragment where the last ended").isEqualTo(next);
      durations.add(fragment.duration());
      next += fragment.duration();
      samples += fragment.samples();
    }
    // 90 kHz: cut at the first frame 500 ms or more after the fragment's start (520 ms at 25 fps);
    // the last one ends one frame after its last frame, at 3 s.
    assertThat(durations).containsExactly(46_800L, 46_800L, 46_800L, 46_800L, 46_800L, 36_000L);
    assertThat(samples).isEqualTo(75);
    assertThat(encoder.needsNewFile()).isFalse();
  }

  @Test
  void aFragmentEndsEarlierWhenItHoldsTheByteBound() {
    Fmp4Encoder encoder = new Fmp4Encoder(10_000);
    encoder.start(List.of(videoConfig(AVC_RECORD)), Unpooled.buffer());
    List<Integer> fragmentAt = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      byte[] written = write(encoder, frame(i == 0, 4_000), i * 40L);
      if (i > 0 && written.length > 0) {
        fragmentAt.add(i);
      }
    }
    assertThat(fragmentAt).as("three 4,000-byte frames reach 10,000 bytes").containsExactly(3, 6, 9);
  }

  @Test
  void aChangedConfigurationAsksForANewFileARepeatedOneDoesNot() {
    Fmp4Encoder encoder = new Fmp4Encoder(NO_SIZE_BOUND);
    encoder.start(List.of(videoConfig(AVC_RECORD)), Unpooled.buffer());
    write(encoder, frame(true, 100), 0);
    write(encoder, videoConfig(AVC_RECORD), 40);
    assertThat(encoder.needsNewFile()).isFalse();
    write(encoder, videoConfig(OTHER_AVC_RECORD), 40);
    assertThat(encoder.needsNewFile()).isTrue();
    assertThat(write(encoder, frame(true, 100), 40)).as("no frame of the new configuration goes in").isEmpty();
  }

  private static byte[] write(Fmp4Encoder encoder, MediaPacket packet, long fileTime) {
    ByteBuf out = Unpooled.buffer();
    encoder.packet(packet, fileTime, out);
    return ByteBufUtil.getBytes(out);
  }

  /** An H.264 access unit in an FLV video tag body: one NAL unit of {@code size} bytes. */
  private static MediaPacket frame(boolean key, int size) {
    String nal = (key ? "65" : "41") + "00".repeat(size - 1);
    return new MediaPacket(MediaKind.VIDEO, 0, key ? MediaPacket.Role.SYNC : MediaPacket.Role.FRAME,
        hex((key ? "17" : "27") + "01000000" + String.format("%08x", size) + nal), 0);
  }

  private static MediaPacket videoConfig(String record) {
    return new MediaPacket(MediaKind.VIDEO, 0, MediaPacket.Role.CONFIG, hex("1700000000" + record), 0);
  }

  private static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
  }
}
