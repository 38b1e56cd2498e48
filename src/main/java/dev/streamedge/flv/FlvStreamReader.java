package dev.streamedge.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads an FLV byte stream as it arrives in chunks of any size, such as an HTTP-FLV response (Adobe FLV
 * spec v10.1, §E.2 header, §E.3 body, §E.4.1 tag), and hands each complete audio, video or script tag
 * on. An explicit state machine: each state returns while its bytes are partial. Bounded by
 * construction: it holds at most one tag (a tag header announcing more than {@code maxTagSize} is a
 * failure) plus the chunk being fed.
 */
public final class FlvStreamReader {

  /** Receives each tag, in stream order. */
  public interface Tags {
    /**
     * One tag.
     *
     * @param type 8 audio, 9 video, 18 script data
     * @param timestamp milliseconds: Timestamp's 24 bits with TimestampExtended as the upper 8
     * @param body the tag's data, as an RTMP message payload carries it; a buffer of its own
     */
    void tag(int type, long timestamp, ByteBuf body);
  }

  /** Bad FLV input or a tag above the limit; the reader is of no further use. */
  public static final class FormatException extends Exception {
    FormatException(String message) {
      super(message, null, false, false);
    }
  }

  private enum State { HEADER, TAG_HEADER, BODY, FAILED }

  private static final int FILE_HEADER = 9;
  private static final int TAG_HEADER = 11;
  private static final int PREVIOUS_TAG_SIZE = 4;
  /** A DataOffset larger than this is no header a muxer writes: version 1 headers are 9 bytes. */
  private static final int MAX_DATA_OFFSET = 1024;

  private final int maxTagSize;
  private final Tags tags;
  private final ByteBuf pending = Unpooled.buffer();
  private State state = State.HEADER;
  private int type;
  private int size;
  private long timestamp;
  private long tagsRead;

  public FlvStreamReader(int maxTagSize, Tags tags) {
    if (maxTagSize < 1) {
      throw new IllegalArgumentException("maxTagSize must be at least 1, got " + maxTagSize);
    }
    this.maxTagSize = maxTagSize;
    this.tags = tags;
  }

  /**
   * A reader of an FLV body from a tag boundary on, without the file header: a file read again from a
   * keyframe's tag after a seek.
   */
  public static FlvStreamReader fromTag(int maxTagSize, Tags tags) {
    FlvStreamReader reader = new FlvStreamReader(maxTagSize, tags);
    reader.state = State.TAG_HEADER;
    return reader;
  }

  /** Audio, video and script tags handed on so far. */
  public long tagsRead() {
    return tagsRead;
  }

  /** Bytes held for a tag not yet complete. */
  public int pendingBytes() {
    return pending.readableBytes();
  }

  /** Takes the readable bytes of {@code chunk} (without moving its reader index) and hands on every tag they complete. */
  public void feed(ByteBuf chunk) throws FormatException {
    if (state == State.FAILED) {
      throw new FormatException("the stream failed already");
    }
    pending.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
    try {
      while (step()) {
        // each step consumes one header or one tag
      }
    } catch (FormatException e) {
      state = State.FAILED;
      pending.clear();
      throw e;
    }
    pending.discardReadBytes();
  }

  private boolean step() throws FormatException {
    return switch (state) {
      case HEADER -> header();
      case TAG_HEADER -> tagHeader();
      case BODY -> body();
      case FAILED -> false;
    };
  }

  /** §E.2: "FLV", version, TypeFlags, DataOffset; then PreviousTagSize0 (§E.3). */
  private boolean header() throws FormatException {
    if (pending.readableBytes() < FILE_HEADER) {
      return false;
    }
    int at = pending.readerIndex();
    if (pending.getByte(at) != 'F' || pending.getByte(at + 1) != 'L' || pending.getByte(at + 2) != 'V') {
      throw new FormatException("not FLV: no FLV signature");
    }
    long dataOffset = pending.getUnsignedInt(at + 5);
    if (dataOffset < FILE_HEADER || dataOffset > MAX_DATA_OFFSET) {
      throw new FormatException("FLV DataOffset " + dataOffset + " out of 9.." + MAX_DATA_OFFSET);
    }
    if (pending.readableBytes() < dataOffset + PREVIOUS_TAG_SIZE) {
      return false;
    }
    pending.skipBytes((int) dataOffset + PREVIOUS_TAG_SIZE);
    state = State.TAG_HEADER;
    return true;
  }

  /** §E.4.1: TagType (with Reserved and Filter bits), DataSize, Timestamp, TimestampExtended, StreamID. */
  private boolean tagHeader() throws FormatException {
    if (pending.readableBytes() < TAG_HEADER) {
      return false;
    }
    int first = pending.readUnsignedByte();
    if ((first & 0x20) != 0) {
      // Filter: the body is encrypted (§E.4.1), nothing a player of this stream could decode.
      throw new FormatException("encrypted FLV tag (Filter bit set)");
    }
    type = first & 0x1F;
    size = pending.readUnsignedMedium();
    if (size > maxTagSize) {
      throw new FormatException("FLV tag of " + size + " bytes, above the limit of " + maxTagSize);
    }
    timestamp = pending.readUnsignedMedium() | (long) pending.readUnsignedByte() << 24;
    pending.skipBytes(3);
    state = State.BODY;
    return true;
  }

  /** The body and the PreviousTagSize after it. */
  private boolean body() {
    if (pending.readableBytes() < size + PREVIOUS_TAG_SIZE) {
      return false;
    }
    // A heap copy of its own: the stream keeps bodies (GOP cache) long after this buffer moved on.
    byte[] bytes = new byte[size];
    pending.readBytes(bytes);
    ByteBuf body = Unpooled.wrappedBuffer(bytes);
    pending.skipBytes(PREVIOUS_TAG_SIZE);
    state = State.TAG_HEADER;
    if (type == 8 || type == 9 || type == 18) {
      tagsRead++;
      tags.tag(type, timestamp, body);
    }
    return true;
  }
}
