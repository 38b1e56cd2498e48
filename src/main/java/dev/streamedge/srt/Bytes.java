package dev.streamedge.srt;

import java.util.Arrays;
import java.util.HexFormat;

/** Immutable bytes with value equality, so that records holding raw fields compare by content. */
public final class Bytes {

  /** No bytes. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static Bytes of(byte... bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** Takes {@code bytes} without copying: the caller must not change them afterwards. */
  static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  public int length() {
    return bytes.length;
  }

  public byte get(int index) {
    return bytes[index];
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  byte[] array() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
