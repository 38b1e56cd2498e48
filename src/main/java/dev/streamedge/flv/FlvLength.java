package dev.streamedge.flv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * How long an FLV file plays: the timestamp of its last whole tag, read backwards from the file's end through
 * the PreviousTagSize that follows every tag (Adobe FLV spec v10.1, §E.3). Two small reads, whatever the
 * file's size; blocking, for a worker thread. Empty when the file ends in a torn tag (a recording cut by a
 * crash) or is too short to hold one.
 */
public final class FlvLength {

  private static final int FILE_HEADER_AND_FIRST_SIZE = 13;
  private static final int TAG_HEADER = 11;
  private static final int PREVIOUS_TAG_SIZE = 4;

  private FlvLength() {
  }

  /** The last whole tag's timestamp in milliseconds, of a file of {@code length} bytes. */
  public static OptionalLong lastTagTime(PositionReader file, long length) throws IOException {
    if (length < FILE_HEADER_AND_FIRST_SIZE + TAG_HEADER + PREVIOUS_TAG_SIZE) {
      return OptionalLong.empty();
    }
    ByteBuffer size = ByteBuffer.allocate(PREVIOUS_TAG_SIZE);
    if (!readFully(file, size, length - PREVIOUS_TAG_SIZE)) {
      return OptionalLong.empty();
    }
    long tagSize = Integer.toUnsignedLong(size.getInt(0));
    long tagStart = length - PREVIOUS_TAG_SIZE - tagSize;
    if (tagSize < TAG_HEADER || tagStart < FILE_HEADER_AND_FIRST_SIZE) {
      return OptionalLong.empty();
    }
    ByteBuffer header = ByteBuffer.allocate(8);
    if (!readFully(file, header, tagStart)) {
      return OptionalLong.empty();
    }
    int type = header.get(0) & 0x1F;
    long dataSize = header.getInt(0) & 0xFFFFFFL;
    if ((type != 8 && type != 9 && type != 18) || dataSize != tagSize - TAG_HEADER) {
      // The last bytes are not a PreviousTagSize: the file ends in a torn tag.
      return OptionalLong.empty();
    }
    // Timestamp (24 bits) then TimestampExtended, the upper 8 bits (§E.4.1).
    return OptionalLong.of((header.getInt(4) >>> 8) | (long) (header.get(7) & 0xFF) << 24);
  }

  private static boolean readFully(PositionReader file, ByteBuffer into, long position) throws IOException {
    while (into.hasRemaining()) {
      if (file.read(into, position + into.position()) < 0) {
        return false;
      }
    }
    return true;
  }
}
