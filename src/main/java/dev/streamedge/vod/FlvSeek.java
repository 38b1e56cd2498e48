package dev.streamedge.vod;

import dev.streamedge.flv.FlvTags;
import dev.streamedge.flv.PositionReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where playing an FLV file from a given time starts: the last video keyframe at or before it (the last
 * audio tag at or before it in a file without video), with the sequence headers read before that point,
 * which a decoder needs again after a jump. Reads only each tag's header and its first bytes (Adobe FLV
 * spec v10.1, §E.3 and §E.4.1), plus the bodies of the sequence headers: blocking I/O, for a worker
 * thread. Bounded: it stops at the first keyframe past the time, and holds two sequence headers.
 */
final class FlvSeek {

  /**
   * Where to start.
   *
   * @param offset the file offset of the tag to read next
   * @param timestamp that tag's timestamp, milliseconds
   * @param videoConfig the last video sequence header before it (a tag body), or null
   * @param audioConfig the last audio sequence header before it, or null
   */
  record Point(long offset, long timestamp, ByteBuf videoConfig, ByteBuf audioConfig) {
  }

  private static final int FILE_HEADER = 9;
  /** As {@code FlvStreamReader}: version 1 headers are 9 bytes, and no muxer writes one of a kilobyte. */
  private static final int MAX_DATA_OFFSET = 1024;
  private static final int TAG_HEADER = 11;
  /** Enough of a body to tell keyframes and sequence headers apart, legacy and Enhanced RTMP. */
  private static final int BODY_PEEK = 16;

  private FlvSeek() {
  }

  /** The start for {@code timeMillis} in {@code file}; tags above {@code maxTagSize} fail as bad input. */
  static Point find(PositionReader file, long timeMillis, int maxTagSize) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(TAG_HEADER + BODY_PEEK);
    head.limit(FILE_HEADER);
    readFully(file, head, 0);
    if (head.position() < FILE_HEADER || head.get(0) != 'F' || head.get(1) != 'L' || head.get(2) != 'V') {
      throw new IOException("not an FLV file");
    }
    long dataOffset = Integer.toUnsignedLong(head.getInt(5));
    if (dataOffset < FILE_HEADER || dataOffset > MAX_DATA_OFFSET) {
      throw new IOException("FLV DataOffset " + dataOffset + " out of " + FILE_HEADER + ".." + MAX_DATA_OFFSET);
    }
    long start = dataOffset + 4;
    long position = start;
    Point first = null;
    Point keyframe = null;
    Point audio = null;
    boolean video = false;
    ByteBuf videoConfig = null;
    ByteBuf audioConfig = null;
    while (true) {
      head.clear();
      readFully(file, head, position);
      if (head.position() < TAG_HEADER) {
        break;
      }
      int type = head.get(0) & 0x1F;
      int size = (head.getInt(0) & 0xFFFFFF);
      long timestamp = (head.getInt(4) >>> 8) | (long) (head.get(7) & 0xFF) << 24;
      if (size > maxTagSize) {
        throw new IOException("FLV tag of " + size + " bytes at offset " + position + ", above the limit of "
            + maxTagSize);
      }
      ByteBuf peek = Unpooled.wrappedBuffer(head.array(), TAG_HEADER, Math.min(size, head.position() - TAG_HEADER));
      if (type == 9 || type == 8) {
        Point here = new Point(position, timestamp, videoConfig, audioConfig);
        if (first == null) {
          first = here;
        }
        if (type == 9 && FlvTags.isVideoSequenceHeader(peek)) {
          videoConfig = body(file, position, size);
        } else if (type == 8 && FlvTags.isAudioSequenceHeader(peek)) {
          audioConfig = body(file, position, size);
        } else if (type == 9 && FlvTags.isVideoKeyframe(peek)) {
          video = true;
          if (timestamp > timeMillis) {
            break;
          }
          keyframe = here;
        } else if (type == 9) {
          video = true;
        } else if (!video && timestamp <= timeMillis) {
          audio = here;
        } else if (!video && timestamp > timeMillis && audio != null) {
          // An audio-only file, or audio far ahead of a first keyframe: the audio point is it.
          break;
        }
      }
      position += TAG_HEADER + size + 4L;
    }
    // A file with video starts at a keyframe, or at its start when the time is before the first one.
    Point found = keyframe != null ? keyframe : !video && audio != null ? audio : first;
    // No media at all: from the file's first tag, as a play without a seek.
    return found != null ? found : new Point(start, 0, null, null);
  }

  private static ByteBuf body(PositionReader file, long tagAt, int size) throws IOException {
    ByteBuffer body = ByteBuffer.allocate(size);
    readFully(file, body, tagAt + TAG_HEADER);
    return Unpooled.wrappedBuffer(body.array(), 0, body.position());
  }

  /** Reads until {@code into} is full or the file ends. */
  private static void readFully(PositionReader file, ByteBuffer into, long position) throws IOException {
    while (into.hasRemaining()) {
      int n = file.read(into, position + into.position());
      if (n < 0) {
        return;
      }
    }
  }
}
