package dev.streamedge.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The top-level boxes of a file (ISO/IEC 14496-12 §4.2), read header by header through a
 * {@link Mp4Index.Source}: each a small read of its 8 bytes, or 16 with a 64-bit largesize.
 */
final class FileBoxes {

  /** Largest header: size 1, type, then the 64-bit largesize. */
  static final int MAX_HEADER = 16;

  /**
   * A box header at a file position.
   *
   * @param size the whole box, header included: the rest of the file for a size of 0; -1 when the file ends
   *     inside its largesize, which only a file cut short does
   * @param header 8, or 16 with a largesize
   */
  record Header(int type, long size, int header) {
  }

  private FileBoxes() {
  }

  /**
   * The header of the box at {@code at}, which must have at least {@link Boxes#HEADER} bytes of the file
   * after it; {@code head} is a buffer of {@link #MAX_HEADER} bytes to read into. A size smaller than its
   * own header is malformed. The size may run past the file's end: the caller decides what that means.
   */
  static Header read(Mp4Index.Source file, ByteBuffer head, long at, long length) throws IOException {
    head.clear().limit((int) Math.min(MAX_HEADER, length - at));
    readFully(file, head, at);
    long size = Boxes.u32(head, 0);
    int type = head.getInt(4);
    int header = Boxes.HEADER;
    if (size == 1) {
      if (head.limit() < MAX_HEADER) {
        return new Header(type, -1, MAX_HEADER);
      }
      size = head.getLong(8);
      header = MAX_HEADER;
    } else if (size == 0) {
      size = length - at;
    }
    if (size < header) {
      throw new Mp4FormatException("box '" + Boxes.name(type) + "' at " + at + " with a size of " + size);
    }
    return new Header(type, size, header);
  }

  /** Reads until {@code into} is full; a file that ends first is shorter than its length said. */
  static void readFully(Mp4Index.Source file, ByteBuffer into, long position) throws IOException {
    long start = position - into.position();
    while (into.hasRemaining()) {
      if (file.read(into, start + into.position()) <= 0) {
        throw new Mp4FormatException("file ends at " + (start + into.position()) + ", before its length");
      }
    }
  }
}
