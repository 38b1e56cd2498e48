package dev.streamedge.vod;

import dev.streamedge.media.MediaKind;
import dev.streamedge.mp4.Mp4Sample;
import dev.streamedge.mp4.Mp4Samples;
import dev.streamedge.mp4.Mp4Tags;
import dev.streamedge.mp4.SampleCursor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An MP4 file with H.264 and AAC (ISO/IEC 14496-12 and -14), as nginx-rtmp's {@code play} reads one: its
 * index ({@code moov}, at most {@code vod.max-index-size}; for a fragmented file, also a table of its
 * fragments, each fragment's {@code moof} read again as the play gets there) held for the play, its
 * samples read where the tables say, {@value FilePlayback#READ_SIZE} bytes' worth at a time, in time order
 * across the tracks, as the FLV tags an RTMP player gets ({@link Mp4Tags}); the sequence headers first, and
 * again after a seek, which lands on the last sync sample at or before the time asked.
 */
final class Mp4MediaFile implements MediaFile {

  private final FileChannel channel;
  private final Mp4Samples index;
  private final int maxTagSize;
  private SampleCursor cursor;
  /** Taken from the cursor by a seek, to learn where it landed, and not handed on yet. */
  private Mp4Sample held;
  private boolean configsRead;

  private Mp4MediaFile(FileChannel channel, Mp4Samples index, int maxTagSize) throws IOException {
    this.channel = channel;
    this.index = index;
    this.maxTagSize = maxTagSize;
    this.cursor = index.cursor(0);
  }

  /** The file of {@code channel}: reads its index, failing on a malformed one or one over {@code maxIndexBytes}. */
  static Mp4MediaFile open(FileChannel channel, int maxIndexBytes, int maxTagSize) throws IOException {
    return new Mp4MediaFile(channel, Mp4Samples.read(channel::read, channel.size(), maxIndexBytes), maxTagSize);
  }

  @Override
  public List<Tag> next() throws IOException {
    List<Tag> tags = new ArrayList<>();
    if (!configsRead) {
      configsRead = true;
      tags.addAll(configs(0));
    }
    long bytes = 0;
    while (bytes < FilePlayback.READ_SIZE) {
      Mp4Sample sample = held != null ? held : cursor.next();
      held = null;
      if (sample == null) {
        break;
      }
      if (sample.size() + 5 > maxTagSize) {
        throw new IOException("MP4 sample of " + sample.size() + " bytes at offset " + sample.offset()
            + ", above the limit of " + maxTagSize);
      }
      ByteBuffer data = ByteBuffer.allocate(sample.size());
      while (data.hasRemaining()) {
        if (channel.read(data, sample.offset() + data.position()) < 0) {
          throw new IOException("MP4 sample at offset " + sample.offset() + " past the file's end");
        }
      }
      ByteBuf bytesRead = Unpooled.wrappedBuffer(data.array());
      tags.add(sample.video()
          ? new Tag(MediaKind.VIDEO, sample.timestamp(), Mp4Tags.video(sample, bytesRead))
          : new Tag(MediaKind.AUDIO, sample.timestamp(), Mp4Tags.audio(bytesRead)));
      bytes += sample.size();
    }
    return tags;
  }

  @Override
  public Start seek(long timeMillis) throws IOException {
    cursor = index.cursor(timeMillis);
    held = cursor.next();
    configsRead = true;
    long at = held != null ? held.timestamp() : index.durationMillis();
    return new Start(at, configs(at));
  }

  private List<Tag> configs(long timestamp) {
    List<Tag> configs = new ArrayList<>(2);
    ByteBuf video = index.videoConfig();
    if (video != null) {
      configs.add(new Tag(MediaKind.VIDEO, timestamp, video));
    }
    ByteBuf audio = index.audioConfig();
    if (audio != null) {
      configs.add(new Tag(MediaKind.AUDIO, timestamp, audio));
    }
    return configs;
  }

  @Override
  public OptionalLong durationMillis() {
    return OptionalLong.of(index.durationMillis());
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a file only read from loses nothing
    }
  }
}
