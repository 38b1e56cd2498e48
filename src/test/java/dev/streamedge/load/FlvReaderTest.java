package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The FLV reader against bytes written out by hand from the FLV spec v10.1, §E.2–E.4. */
@Tag("unit")
class FlvReaderTest {

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** Header (audio+video, DataOffset 9), PreviousTagSize0, a video tag, an audio tag with TimestampExtended. */
  private static final byte[] FILE = bytes(
      'F', 'L', 'V', 1, 0x05, 0, 0, 0, 9,
      0, 0, 0, 0,
      // video: type 9, size 3, timestamp 0x000028 (40 ms), ext 0, stream id 0, body 17 01 00
      9, 0, 0, 3, 0, 0, 0x28, 0, 0, 0, 0, 0x17, 0x01, 0x00,
      0, 0, 0, 14,
      // audio: type 8, size 2, timestamp 0x010203 with extension 0x04 -> 0x04010203, body AF 01
      8, 0, 0, 2, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0xAF, 0x01,
      0, 0, 0, 13);

  @Test
  void readsTagsWithTheirTimestampsAndBodies() throws IOException {
    List<FlvReader.Tag> tags = FlvReader.parse(FILE);

    assertThat(tags).containsExactly(
        new FlvReader.Tag(9, 40, bytes(0x17, 0x01, 0x00)),
        new FlvReader.Tag(8, 0x04010203L, bytes(0xAF, 0x01)));
  }

  @Test
  void leavesOutATruncatedLastTag() throws IOException {
    byte[] cut = java.util.Arrays.copyOf(FILE, FILE.length - 6);

    assertThat(FlvReader.parse(cut)).hasSize(1);
  }

  @Test
  void skipsTagTypesItDoesNotKnowAndHonoursDataOffset() throws IOException {
    byte[] file = bytes(
        'F', 'L', 'V', 1, 0x01, 0, 0, 0, 11, 0xEE, 0xEE,
        0, 0, 0, 0,
        7, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x55,
        0, 0, 0, 12,
        18, 0, 0, 1, 0, 0, 5, 0, 0, 0, 0, 0x02,
        0, 0, 0, 12);

    assertThat(FlvReader.parse(file)).containsExactly(new FlvReader.Tag(18, 5, bytes(0x02)));
  }

  @Test
  void refusesWhatIsNoFlv() {
    assertThatThrownBy(() -> FlvReader.parse(bytes('F', 'L', 'X', 1, 0, 0, 0, 0, 9, 0, 0, 0, 0)))
        .isInstanceOf(IOException.class);
  }
}
