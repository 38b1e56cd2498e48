package dev.streamedge.vod;

import dev.streamedge.flv.FlvLength;
import dev.streamedge.flv.FlvStreamReader;
import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An FLV file (Adobe FLV spec v10.1, §E): read {@value FilePlayback#READ_SIZE} bytes at a time through an
 * {@link FlvStreamReader}, which holds at most one tag being completed (at most the largest tag allowed); a
 * seek scans tag headers ({@link FlvSeek}).
 */
final class FlvMediaFile implements MediaFile {

  private final FileChannel channel;
  private final int maxTagSize;
  private final OptionalLong duration;
  private FlvStreamReader reader;
  private List<Tag> read;
  private long position;

  private FlvMediaFile(FileChannel channel, int maxTagSize, OptionalLong duration) {
    this.channel = channel;
    this.maxTagSize = maxTagSize;
    this.duration = duration;
    this.reader = new FlvStreamReader(maxTagSize, this::tagRead);
  }

  /** The file of {@code channel}, whose first bytes are an FLV signature; tags above {@code maxTagSize} are bad. */
  static FlvMediaFile open(FileChannel channel, int maxTagSize) throws IOException {
    return new FlvMediaFile(channel, maxTagSize, FlvLength.lastTagTime(channel::read, channel.size()));
  }

  @Override
  public List<Tag> next() throws IOException {
    List<Tag> tags = new ArrayList<>();
    read = tags;
    // A tag larger than a read is completed by the next reads: one call returns at least one tag, or the end.
    while (tags.isEmpty()) {
      ByteBuffer chunk = ByteBuffer.allocate(FilePlayback.READ_SIZE);
      int n = channel.read(chunk, position);
      if (n < 0) {
        break;
      }
      position += n;
      try {
        reader.feed(Unpooled.wrappedBuffer(chunk.array(), 0, n));
      } catch (FlvStreamReader.FormatException e) {
        throw new IOException("bad FLV before offset " + position + ": " + e.getMessage(), e);
      }
    }
    read = null;
    return tags;
  }

  @Override
  public Start seek(long timeMillis) throws IOException {
    FlvSeek.Point point = FlvSeek.find(channel::read, Math.max(0, timeMillis), maxTagSize);
    position = point.offset();
    reader = FlvStreamReader.fromTag(maxTagSize, this::tagRead);
    List<Tag> configs = new ArrayList<>(2);
    if (point.videoConfig() != null) {
      configs.add(new Tag(MediaKind.VIDEO, point.timestamp(), point.videoConfig()));
    }
    if (point.audioConfig() != null) {
      configs.add(new Tag(MediaKind.AUDIO, point.timestamp(), point.audioConfig()));
    }
    return new Start(point.timestamp(), configs);
  }

  @Override
  public OptionalLong durationMillis() {
    return duration;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a file only read from loses nothing
    }
  }

  private void tagRead(int type, long timestamp, ByteBuf body) {
    read.add(new Tag(type == 8 ? MediaKind.AUDIO : type == 9 ? MediaKind.VIDEO : MediaKind.DATA, timestamp, body));
  }
}
