package dev.streamedge.mp4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The boxes inside a box's payload (ISO/IEC 14496-12 §4.2): a 32-bit size and a type, the size 1 for a
 * 64-bit largesize after the type, 0 for "to the end of the parent". Every read is checked against the
 * payload's length first, so a short box is an {@link Mp4FormatException} and never an index error.
 */
final class Boxes {

  static final int HEADER = 8;
  /** Bytes a parent may end with that are no box: some muxers pad a container with up to 7 zero bytes. */
  private static final int TAIL = HEADER - 1;

  /** A child box: its type as a big-endian int, and its payload as a buffer of its own from 0. */
  record Box(int type, ByteBuffer body) {
  }

  private Boxes() {
  }

  static int type(String fourCc) {
    byte[] b = fourCc.getBytes(StandardCharsets.ISO_8859_1);
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
  }

  static String name(int type) {
    StringBuilder name = new StringBuilder(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      int c = type >>> shift & 0xFF;
      name.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
    }
    return name.toString();
  }

  /** Every child box of {@code parent}, named {@code where} in messages, from {@code from}. */
  static List<Box> children(ByteBuffer parent, int from, String where) throws Mp4FormatException {
    List<Box> boxes = new ArrayList<>();
    int at = from;
    int end = parent.limit();
    while (end - at > TAIL) {
      long size = u32(parent, at);
      int header = HEADER;
      if (size == 1) {
        need(parent, at + 16L, where);
        size = parent.getLong(at + HEADER);
        header = 16;
      } else if (size == 0) {
        size = end - at;
      }
      int type = parent.getInt(at + 4);
      if (size < header || size > end - at) {
        throw new Mp4FormatException("box '" + name(type) + "' of " + size + " bytes at " + at + " of " + where
            + ", which has " + (end - at) + " bytes left");
      }
      boxes.add(new Box(type, parent.slice(at + header, (int) size - header)));
      at += (int) size;
    }
    return boxes;
  }

  /** The payload of {@code parent}'s first child of {@code type}, or null. */
  static ByteBuffer child(ByteBuffer parent, String type, String where) throws Mp4FormatException {
    int wanted = type(type);
    for (Box box : children(parent, 0, where)) {
      if (box.type() == wanted) {
        return box.body();
      }
    }
    return null;
  }

  /** As {@link #child}, but a box the format requires: its absence is an error. */
  static ByteBuffer required(ByteBuffer parent, String type, String where) throws Mp4FormatException {
    ByteBuffer box = child(parent, type, where);
    if (box == null) {
      throw new Mp4FormatException("no '" + type + "' in " + where);
    }
    return box;
  }

  /** Fails unless {@code box} has at least {@code bytes} bytes. */
  static void need(ByteBuffer box, long bytes, String what) throws Mp4FormatException {
    if (box.limit() < bytes) {
      throw new Mp4FormatException("'" + what + "' of " + box.limit() + " bytes, " + bytes + " needed");
    }
  }

  static long u32(ByteBuffer box, int at) {
    return box.getInt(at) & 0xFFFFFFFFL;
  }
}
