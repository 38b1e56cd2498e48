package dev.streamedge.mp4;

import dev.streamedge.mp4.Boxes.Box;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The index of a progressive MP4 file (ISO/IEC 14496-12): its first H.264 ({@code avc1}) track and its
 * first AAC ({@code mp4a}) track, their codec configurations and sample tables, read from the
 * {@code moov} box wherever it is in the file. Other tracks are left out. Blocking reads, for a worker
 * thread: the top-level box headers up to {@code moov} (one small read each), then {@code moov} whole.
 *
 * <p>Timeline: a sample's decode time in media units, less its track's edit list media_time, plus the
 * edit list's leading empty edit, in milliseconds rounded down; then every track moved by one common
 * amount, the least that makes every decode and presentation time non-negative (so a file with no edit
 * list starts its video at 0). {@link #durationMillis()} is before that common move.
 *
 * <p>Immutable once read: plays of the same file may share it, each with cursors of its own.
 */
public final class Mp4Index {

  /** Reads a file at a position, as {@code FileChannel.read(ByteBuffer, long)} does. */
  public interface Source {
    /**
     * Bytes read into {@code into} from {@code position}, or -1 at the end of the file (0, which a file
     * channel never returns for a buffer with room, is taken as the end too, so a read cannot spin).
     */
    int read(ByteBuffer into, long position) throws IOException;
  }

  /** More trak boxes than this is no file a camera, a phone or ffmpeg writes. */
  private static final int MAX_TRACKS = 64;
  private static final byte[] AVC_HEADER = {0x17, 0, 0, 0, 0};
  private static final byte[] AAC_HEADER = {(byte) 0xAF, 0};

  private final Track video;
  private final Track audio;
  private final long shiftMillis;

  private Mp4Index(Track video, Track audio) {
    this.video = video;
    this.audio = audio;
    long lowest = 0;
    for (Track track : new Track[] {video, audio}) {
      if (track != null) {
        // Audio's presentation is its decode time here (compositionOffset 0): only video's ctts counts.
        long first = track.millis(0);
        lowest = Math.min(lowest, track.video ? Math.min(first, track.millis(track.minPts)) : first);
      }
    }
    this.shiftMillis = -lowest;
  }

  /**
   * Reads the index of the {@code length}-byte {@code file}, refusing a {@code moov} box of more than
   * {@code maxIndexBytes}; a file that is no MP4 this can play fails with an {@link Mp4FormatException}.
   */
  public static Mp4Index read(Source file, long length, int maxIndexBytes) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(16);
    long at = 0;
    while (true) {
      if (length - at < Boxes.HEADER) {
        throw new Mp4FormatException(length == 0 ? "empty file" : "no moov box in " + length + " bytes");
      }
      head.clear().limit((int) Math.min(16, length - at));
      readFully(file, head, at);
      long size = Boxes.u32(head, 0);
      int type = head.getInt(4);
      int header = Boxes.HEADER;
      if (size == 1) {
        if (head.limit() < 16) {
          throw new Mp4FormatException("box '" + Boxes.name(type) + "' at " + at + " cut short");
        }
        size = head.getLong(8);
        header = 16;
      } else if (size == 0) {
        size = length - at;
      }
      if (size < header) {
        throw new Mp4FormatException("box '" + Boxes.name(type) + "' at " + at + " with a size of " + size);
      }
      boolean moov = type == Boxes.type("moov");
      if (size > length - at) {
        throw new Mp4FormatException((moov ? "truncated moov" : "no moov box before the file ends inside '"
            + Boxes.name(type) + "'") + ": " + size + " bytes at " + at + ", file of " + length + " bytes");
      }
      if (moov) {
        if (size > maxIndexBytes) {
          throw new Mp4FormatException("moov of " + size + " bytes, above the limit of " + maxIndexBytes);
        }
        ByteBuffer body = ByteBuffer.allocate((int) size - header);
        readFully(file, body, at + header);
        return parse(body.clear(), length);
      }
      at += size;
    }
  }

  private static Mp4Index parse(ByteBuffer moov, long length) throws Mp4FormatException {
    ByteBuffer mvhd = Boxes.child(moov, "mvhd", "moov");
    // §8.2.2: the movie timescale, which edit list durations are in.
    long movieTimescale = 0;
    if (mvhd != null) {
      Boxes.need(mvhd, 24, "mvhd");
      movieTimescale = Boxes.u32(mvhd, mvhd.get(0) == 1 ? 20 : 12);
    }
    int tracks = 0;
    Track video = null;
    Track audio = null;
    for (Box box : Boxes.children(moov, 0, "moov")) {
      if (box.type() != Boxes.type("trak")) {
        continue;
      }
      if (++tracks > MAX_TRACKS) {
        throw new Mp4FormatException("more than " + MAX_TRACKS + " tracks");
      }
      ByteBuffer mdia = Boxes.required(box.body(), "mdia", "trak");
      ByteBuffer hdlr = Boxes.required(mdia, "hdlr", "mdia");
      Boxes.need(hdlr, 12, "hdlr");
      int handler = hdlr.getInt(8);
      boolean isVideo = handler == Boxes.type("vide");
      if (!isVideo && handler != Boxes.type("soun") || isVideo && video != null || !isVideo && audio != null) {
        continue;
      }
      ByteBuffer stbl = Boxes.required(Boxes.required(mdia, "minf", "mdia"), "stbl", "minf");
      ByteBuffer stsd = Boxes.required(stbl, "stsd", "stbl");
      byte[] codec = isVideo ? SampleEntries.avc(stsd) : SampleEntries.aac(stsd);
      if (codec == null) {
        continue;
      }
      byte[] prefix = isVideo ? AVC_HEADER : AAC_HEADER;
      byte[] config = new byte[prefix.length + codec.length];
      System.arraycopy(prefix, 0, config, 0, prefix.length);
      System.arraycopy(codec, 0, config, prefix.length, codec.length);
      long timescale = timescale(Boxes.required(mdia, "mdhd", "mdia"));
      long[] edit = EditList.read(Boxes.child(box.body(), "edts", "trak"), movieTimescale, timescale);
      Track track = TrackReader.read(isVideo, config, timescale, edit[0], edit[1], stbl, length);
      if (isVideo) {
        video = track;
      } else {
        audio = track;
      }
    }
    if (video == null && audio == null) {
      throw new Mp4FormatException("no H.264 or AAC track with samples in " + tracks + " tracks");
    }
    return new Mp4Index(video, audio);
  }

  /** §8.4.2 mdhd: the media's units per second, after creation and modification times of 4 or 8 bytes. */
  private static long timescale(ByteBuffer mdhd) throws Mp4FormatException {
    Boxes.need(mdhd, 24, "mdhd");
    long timescale = Boxes.u32(mdhd, mdhd.get(0) == 1 ? 20 : 12);
    if (timescale == 0) {
      throw new Mp4FormatException("mdhd timescale 0");
    }
    return timescale;
  }

  /** The longest track's presentation, from its edited start to its last sample's end, milliseconds. */
  public long durationMillis() {
    long longest = 0;
    for (Track track : new Track[] {video, audio}) {
      if (track != null) {
        longest = Math.max(longest, track.millis(track.maxEnd));
      }
    }
    return longest;
  }

  /** The AVC sequence header's VideoTagBody (FLV spec v10.1 §E.4.3.1), a fresh copy; null without video. */
  public ByteBuf videoConfig() {
    return video == null ? null : Unpooled.copiedBuffer(video.config);
  }

  /** The AAC sequence header's AudioTagBody (§E.4.2.1), a fresh copy; null without audio. */
  public ByteBuf audioConfig() {
    return audio == null ? null : Unpooled.copiedBuffer(audio.config);
  }

  /**
   * The samples from {@code fromMillis}: video from its last sync sample at or before it, audio from the
   * first sample at or after that one's time; without video, audio from its last sample at or before it.
   * 0 (or less), or a time before the first sync sample, starts both tracks at their first sample: the
   * file's start.
   */
  public Mp4Cursor cursor(long fromMillis) {
    int videoFrom = 0;
    int audioFrom = 0;
    if (fromMillis > 0 && video != null) {
      int key = video.lastSyncAtOrBefore(fromMillis - shiftMillis);
      if (key >= 0) {
        videoFrom = key;
        long time = video.millis(video.dts(key)) + shiftMillis;
        audioFrom = audio == null ? 0 : audio.firstAtOrAfter(time - shiftMillis);
      }
    } else if (fromMillis > 0) {
      audioFrom = Math.max(0, audio.lastAtOrBefore(fromMillis - shiftMillis));
    }
    return new Mp4Cursor(video == null ? null : new TrackWalker(video, videoFrom, shiftMillis),
        audio == null ? null : new TrackWalker(audio, audioFrom, shiftMillis));
  }

  /** How many samples the kept tracks have, together. */
  int samples() {
    return (video == null ? 0 : video.samples) + (audio == null ? 0 : audio.samples);
  }

  /** Reads until {@code into} is full; a file that ends first is shorter than its length said. */
  private static void readFully(Source file, ByteBuffer into, long position) throws IOException {
    long start = position - into.position();
    while (into.hasRemaining()) {
      if (file.read(into, start + into.position()) <= 0) {
        throw new Mp4FormatException("file ends at " + (start + into.position()) + ", before its length");
      }
    }
  }
}
