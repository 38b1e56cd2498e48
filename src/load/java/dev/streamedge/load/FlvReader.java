package dev.streamedge.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the tags of an FLV file (Adobe FLV spec v10.1, §E.2 header, §E.3 body, §E.4.1 tag) for the
 * publisher to send in real time. The whole file is held in memory: a benchmark clip of a minute at a
 * few Mbit/s is a few MB, and reading it once keeps disk reads out of the paced send path.
 */
final class FlvReader {

  static final int TYPE_AUDIO = 8;
  static final int TYPE_VIDEO = 9;
  static final int TYPE_SCRIPT = 18;

  private static final int TAG_HEADER = 11;

  /**
   * One tag.
   *
   * @param type 8 audio, 9 video, 18 script data
   * @param timestamp milliseconds, the 24 bits of Timestamp plus TimestampExtended as the upper 8
   * @param body the tag's data, as an RTMP message payload carries it
   */
  record Tag(int type, long timestamp, byte[] body) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Tag tag && tag.type == type && tag.timestamp == timestamp && Arrays.equals(tag.body, body);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * type + Long.hashCode(timestamp)) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return "Tag[type=" + type + ", timestamp=" + timestamp + ", " + body.length + " bytes]";
    }
  }

  private FlvReader() {
  }

  static List<Tag> read(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  /**
   * The tags of an FLV file's bytes, in file order; a truncated last tag is left out, as players do
   * with a file still being written.
   *
   * @throws IOException when the bytes do not start with an FLV header
   */
  static List<Tag> parse(byte[] bytes) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length < 13 || bytes[0] != 'F' || bytes[1] != 'L' || bytes[2] != 'V') {
      throw new IOException("not an FLV file");
    }
    long dataOffset = Integer.toUnsignedLong(in.getInt(5));
    if (dataOffset < 9 || dataOffset + 4 > bytes.length) {
      throw new IOException("FLV DataOffset " + dataOffset + " is outside the file");
    }
    in.position((int) dataOffset + 4); // the header, then PreviousTagSize0
    List<Tag> tags = new ArrayList<>();
    while (in.remaining() >= TAG_HEADER) {
      // The upper bits of the first byte are Reserved and Filter (§E.4.1); only encrypted files set Filter.
      int type = in.get() & 0x1F;
      int size = medium(in);
      long timestamp = medium(in) | (long) (in.get() & 0xFF) << 24;
      in.position(in.position() + 3); // StreamID, always 0
      if (in.remaining() < size) {
        break;
      }
      byte[] body = new byte[size];
      in.get(body);
      in.position(Math.min(in.limit(), in.position() + 4)); // PreviousTagSize
      if (type == TYPE_AUDIO || type == TYPE_VIDEO || type == TYPE_SCRIPT) {
        tags.add(new Tag(type, timestamp, body));
      }
    }
    return tags;
  }

  private static int medium(ByteBuffer in) {
    return (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | in.get() & 0xFF;
  }
}
