package dev.streamedge.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * The init segment of a fragmented MP4 stream (ISO/IEC 14496-12 §8.8, CMAF ISO/IEC 23000-19 §7.3.2):
 * {@code ftyp} and a {@code moov} whose tracks have empty sample tables and whose {@code mvex}
 * announces that the samples come in movie fragments. Track IDs are 1, 2, ... in list order.
 */
public final class InitSegment {

  private static final int MOVIE_TIMESCALE = 1000;
  /** ISO 639-2/T "und", packed as three 5-bit letters (§8.4.2.3). */
  private static final int LANGUAGE_UNDETERMINED = 0x55C4;

  private InitSegment() {
  }

  /** The init segment for {@code tracks}, at least one. */
  public static byte[] write(List<SampleEntry> tracks) {
    return write(tracks, 1);
  }

  /**
   * The init segment for {@code tracks}, at least one, numbered from {@code firstTrackId}: a track written
   * alone keeps the ID it has in the muxed stream, so that its fragments are the muxed ones' bytes.
   */
  public static byte[] write(List<SampleEntry> tracks, int firstTrackId) {
    if (tracks.isEmpty() || firstTrackId < 1) {
      throw new IllegalArgumentException("an init segment needs a track");
    }
    ByteBuf out = Unpooled.buffer(1024);
    int ftyp = Boxes.begin(out, "ftyp");
    Boxes.writeType(out, "iso6"); // major_brand: tfdt version 1 and default-base-is-moof
    out.writeInt(0); // minor_version
    for (String brand : List.of("iso6", "cmfc", "mp41")) {
      Boxes.writeType(out, brand);
    }
    Boxes.end(out, ftyp);

    int moov = Boxes.begin(out, "moov");
    mvhd(out, firstTrackId + tracks.size());
    for (int i = 0; i < tracks.size(); i++) {
      trak(out, firstTrackId + i, tracks.get(i));
    }
    int mvex = Boxes.begin(out, "mvex");
    for (int i = 0; i < tracks.size(); i++) {
      // §8.8.3: defaults are all given per sample in trun, so these are zeros.
      int trex = Boxes.beginFull(out, "trex", 0, 0);
      out.writeInt(firstTrackId + i); // track_ID
      out.writeInt(1); // default_sample_description_index
      out.writeInt(0); // default_sample_duration
      out.writeInt(0); // default_sample_size
      out.writeInt(0); // default_sample_flags
      Boxes.end(out, trex);
    }
    Boxes.end(out, mvex);
    Boxes.end(out, moov);
    return ByteBufUtil.getBytes(out);
  }

  /** §8.2.2: duration 0, the movie is fragmented and live. */
  private static void mvhd(ByteBuf out, int nextTrackId) {
    int box = Boxes.beginFull(out, "mvhd", 0, 0);
    out.writeInt(0); // creation_time
    out.writeInt(0); // modification_time
    out.writeInt(MOVIE_TIMESCALE);
    out.writeInt(0); // duration
    out.writeInt(0x00010000); // rate 1.0
    out.writeShort(0x0100); // volume 1.0
    out.writeZero(10); // reserved
    Boxes.writeUnityMatrix(out);
    out.writeZero(24); // pre_defined
    out.writeInt(nextTrackId);
    Boxes.end(out, box);
  }

  private static void trak(ByteBuf out, int trackId, SampleEntry entry) {
    int trak = Boxes.begin(out, "trak");
    // §8.3.2: flags track_enabled | track_in_movie.
    int tkhd = Boxes.beginFull(out, "tkhd", 0, 0x000003);
    out.writeInt(0); // creation_time
    out.writeInt(0); // modification_time
    out.writeInt(trackId);
    out.writeInt(0); // reserved
    out.writeInt(0); // duration
    out.writeZero(8); // reserved
    out.writeShort(0); // layer
    out.writeShort(0); // alternate_group
    out.writeShort(entry.video() ? 0 : 0x0100); // volume
    out.writeShort(0); // reserved
    Boxes.writeUnityMatrix(out);
    out.writeInt(entry.width() << 16); // 16.16
    out.writeInt(entry.height() << 16);
    Boxes.end(out, tkhd);

    int mdia = Boxes.begin(out, "mdia");
    int mdhd = Boxes.beginFull(out, "mdhd", 0, 0);
    out.writeInt(0); // creation_time
    out.writeInt(0); // modification_time
    out.writeInt(entry.timescale());
    out.writeInt(0); // duration
    out.writeShort(LANGUAGE_UNDETERMINED);
    out.writeShort(0); // pre_defined
    Boxes.end(out, mdhd);

    int hdlr = Boxes.beginFull(out, "hdlr", 0, 0);
    out.writeInt(0); // pre_defined
    Boxes.writeType(out, entry.video() ? "vide" : "soun");
    out.writeZero(12); // reserved
    for (char c : (entry.video() ? "VideoHandler" : "SoundHandler").toCharArray()) {
      out.writeByte(c);
    }
    out.writeByte(0); // name, null-terminated
    Boxes.end(out, hdlr);

    int minf = Boxes.begin(out, "minf");
    if (entry.video()) {
      int vmhd = Boxes.beginFull(out, "vmhd", 0, 1); // §12.1.2: flags 1
      out.writeShort(0); // graphicsmode: copy
      out.writeZero(6); // opcolor
      Boxes.end(out, vmhd);
    } else {
      int smhd = Boxes.beginFull(out, "smhd", 0, 0);
      out.writeShort(0); // balance
      out.writeShort(0); // reserved
      Boxes.end(out, smhd);
    }
    int dinf = Boxes.begin(out, "dinf");
    int dref = Boxes.beginFull(out, "dref", 0, 0);
    out.writeInt(1); // entry_count
    int url = Boxes.beginFull(out, "url ", 0, 1); // flag 1: the media is in this file
    Boxes.end(out, url);
    Boxes.end(out, dref);
    Boxes.end(out, dinf);

    int stbl = Boxes.begin(out, "stbl");
    int stsd = Boxes.beginFull(out, "stsd", 0, 0);
    out.writeInt(1); // entry_count
    entry.write(out);
    Boxes.end(out, stsd);
    // The mandatory tables, empty: every sample is in a fragment (§8.8.1).
    for (String table : List.of("stts", "stsc", "stco")) {
      int box = Boxes.beginFull(out, table, 0, 0);
      out.writeInt(0); // entry_count
      Boxes.end(out, box);
    }
    int stsz = Boxes.beginFull(out, "stsz", 0, 0);
    out.writeInt(0); // sample_size
    out.writeInt(0); // sample_count
    Boxes.end(out, stsz);
    Boxes.end(out, stbl);
    Boxes.end(out, minf);
    Boxes.end(out, mdia);
    Boxes.end(out, trak);
  }
}
