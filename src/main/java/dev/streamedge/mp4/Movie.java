package dev.streamedge.mp4;

import dev.streamedge.mp4.Boxes.Box;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The {@code moov} box of a file (ISO/IEC 14496-12 §8.2.1), progressive or fragmented: found among the
 * top-level boxes wherever it is, read whole (at most the index size asked), and its first H.264
 * ({@code avc1}) and first AAC ({@code mp4a}) tracks picked out with their codec configuration, timescale
 * and edit list. What a track's samples are is the caller's: a {@link Keeper} turns each candidate into
 * the track it keeps, or passes it over.
 */
final class Movie {

  /** More trak boxes than this is no file a camera, a phone or ffmpeg writes. */
  private static final int MAX_TRACKS = 64;
  private static final byte[] AVC_HEADER = {0x17, 0, 0, 0, 0};
  private static final byte[] AAC_HEADER = {(byte) 0xAF, 0};

  /** The moov's payload, and where the box after it starts in the file. */
  record Found(ByteBuffer body, long end) {
  }

  /**
   * A candidate track.
   *
   * @param config the FLV sequence header's body: the tag header bytes, then avcC or the AudioSpecificConfig
   * @param shift the edit list's media_time, taken off every time, in media units
   * @param delay the edit list's leading empty edit, added, in media units
   * @param trak the trak's payload
   */
  record TrackBox(boolean video, byte[] config, long timescale, long shift, long delay, ByteBuffer trak,
      ByteBuffer stbl) {
  }

  /** What the caller keeps of a candidate track: its track, or null to take a later one of its kind. */
  interface Keeper<T> {
    T keep(TrackBox track) throws Mp4FormatException;
  }

  /** The tracks kept, either of which may be null, and how many trak boxes the moov has. */
  record Kept<T>(T video, T audio, int traks) {
  }

  private Movie() {
  }

  /** The moov of the {@code length}-byte {@code file}, refusing one of more than {@code maxIndexBytes}. */
  static Found find(Mp4Index.Source file, long length, int maxIndexBytes) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(FileBoxes.MAX_HEADER);
    long at = 0;
    while (true) {
      if (length - at < Boxes.HEADER) {
        throw new Mp4FormatException(length == 0 ? "empty file" : "no moov box in " + length + " bytes");
      }
      FileBoxes.Header box = FileBoxes.read(file, head, at, length);
      if (box.size() < 0) {
        throw new Mp4FormatException("box '" + Boxes.name(box.type()) + "' at " + at + " cut short");
      }
      boolean moov = box.type() == Boxes.type("moov");
      if (box.size() > length - at) {
        throw new Mp4FormatException((moov ? "truncated moov" : "no moov box before the file ends inside '"
            + Boxes.name(box.type()) + "'") + ": " + box.size() + " bytes at " + at + ", file of " + length + " bytes");
      }
      if (moov) {
        if (box.size() > maxIndexBytes) {
          throw new Mp4FormatException("moov of " + box.size() + " bytes, above the limit of " + maxIndexBytes);
        }
        ByteBuffer body = ByteBuffer.allocate((int) box.size() - box.header());
        FileBoxes.readFully(file, body, at + box.header());
        return new Found(body.clear(), at + box.size());
      }
      at += box.size();
    }
  }

  /** The first video and the first audio track that {@code keeper} keeps, in trak order. */
  static <T> Kept<T> tracks(ByteBuffer moov, Keeper<T> keeper) throws Mp4FormatException {
    ByteBuffer mvhd = Boxes.child(moov, "mvhd", "moov");
    // §8.2.2: the movie timescale, which edit list durations are in.
    long movieTimescale = 0;
    if (mvhd != null) {
      Boxes.need(mvhd, 24, "mvhd");
      movieTimescale = Boxes.u32(mvhd, mvhd.get(0) == 1 ? 20 : 12);
    }
    int tracks = 0;
    T video = null;
    T audio = null;
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
      T track = keeper.keep(new TrackBox(isVideo, config, timescale, edit[0], edit[1], box.body(), stbl));
      if (isVideo) {
        video = track;
      } else {
        audio = track;
      }
    }
    return new Kept<>(video, audio, tracks);
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
}
