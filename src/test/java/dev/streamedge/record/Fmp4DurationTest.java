package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duration the recordings list gives for an fMP4 file: the end of its last whole fragment, from the
 * fragments the recording encoder writes; a fragment torn by a crash is left out.
 */
@Tag("unit")
class Fmp4DurationTest {

  private static final String AVC_RECORD = "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";

  @TempDir
  Path dir;

  @Test
  void isTheEndOfTheLastWholeFragmentAndLeavesATornOneOut() throws Exception {
    // 3 s at 25 fps, a keyframe every 2 s: fragments of 520 ms, the last ending at 3 s (Fmp4EncoderTest).
    Fmp4Encoder encoder = new Fmp4Encoder(1L << 30);
    ByteBuf file = Unpooled.buffer();
    encoder.start(List.of(new MediaPacket(MediaKind.VIDEO, 0, MediaPacket.Role.CONFIG,
        hex("1700000000" + AVC_RECORD), 0)), file);
    for (int i = 0; i < 75; i++) {
      boolean key = i % 50 == 0;
      String nal = (key ? "65" : "41") + "00".repeat(99);
      encoder.packet(new MediaPacket(MediaKind.VIDEO, 0, key ? MediaPacket.Role.SYNC : MediaPacket.Role.FRAME,
          hex((key ? "17" : "27") + "01000000" + String.format("%08x", 100) + nal), 0), i * 40L, file);
    }
    encoder.finish(file);
    byte[] bytes = ByteBufUtil.getBytes(file);

    assertThat(duration(bytes)).hasValue(3000);
    // Cut in the last fragment's mdat: the fifth fragment's end, 5 x 520 ms.
    assertThat(duration(Arrays.copyOf(bytes, bytes.length - 10))).hasValue(2600);
    // The init segment alone (the first fragment is written with the second keyframe's cut): nothing.
    assertThat(duration(Arrays.copyOf(bytes, 40))).isEmpty();
    assertThat(duration("not an mp4 at all".getBytes())).isEmpty();
  }

  private OptionalLong duration(byte[] bytes) throws Exception {
    Path path = Files.write(dir.resolve("r.mp4"), bytes);
    try (RandomAccessFile in = new RandomAccessFile(path.toFile(), "r")) {
      return Fmp4Duration.of(in);
    }
  }

  private static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
  }
}
