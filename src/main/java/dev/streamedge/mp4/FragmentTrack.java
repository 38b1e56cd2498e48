package dev.streamedge.mp4;

import dev.streamedge.mp4.Boxes.Box;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A track of a fragmented MP4 as its {@code moov} declares it: the codec configuration, timescale and edit
 * list as for a progressive track, the {@code tkhd} track_ID that its {@code traf} boxes name, and the
 * {@code mvex/trex} defaults for what a fragment leaves out (ISO/IEC 14496-12 §8.8.3).
 *
 * @param config the FLV sequence header's body
 * @param shift the edit list's media_time, media units, taken off every time
 * @param delay the edit list's leading empty edit, media units, added
 * @param defaultFlags §8.8.3.1 sample flags
 */
record FragmentTrack(boolean video, byte[] config, long timescale, long shift, long delay, long id,
    long defaultDuration, long defaultSize, int defaultFlags) {

  /** §8.8.3.1: sample_is_non_sync_sample. */
  static final int NON_SYNC = 0x00010000;

  /** A media time in milliseconds on this track's edited timeline, rounded down. */
  long millis(long mediaTime) {
    return Track.millis(mediaTime, shift, delay, timescale);
  }

  /**
   * The first H.264 and first AAC track of a fragmented file's moov payload. Samples in their own tables (ffmpeg's
   * frag_keyframe without empty_moov) are not read here: see {@link Moof#ofTables}.
   */
  static Movie.Kept<FragmentTrack> read(ByteBuffer moov) throws Mp4FormatException {
    Map<Long, ByteBuffer> trex = new HashMap<>();
    ByteBuffer mvex = Boxes.child(moov, "mvex", "moov");
    if (mvex != null) {
      for (Box box : Boxes.children(mvex, 0, "mvex")) {
        if (box.type() == Boxes.type("trex")) {
          // version and flags, track_ID, then the defaults: description index, duration, size, flags.
          Boxes.need(box.body(), 24, "trex");
          trex.putIfAbsent(Boxes.u32(box.body(), 4), box.body());
        }
      }
    }
    return Movie.tracks(moov, track -> {
      ByteBuffer tkhd = Boxes.required(track.trak(), "tkhd", "trak");
      Boxes.need(tkhd, 24, "tkhd");
      long id = Boxes.u32(tkhd, tkhd.get(0) == 1 ? 20 : 12); // §8.3.2: after 4- or 8-byte times
      ByteBuffer defaults = trex.get(id);
      return new FragmentTrack(track.video(), track.config(), track.timescale(), track.shift(), track.delay(), id,
          defaults == null ? 0 : Boxes.u32(defaults, 12), defaults == null ? 0 : Boxes.u32(defaults, 16),
          defaults == null ? 0 : defaults.getInt(20));
    });
  }

  /**
   * Whether the moov's first H.264 or AAC track has samples in its own tables, as ffmpeg's frag_keyframe
   * without empty_moov writes the first fragment: they play before the first moof's.
   */
  static boolean inMoov(ByteBuffer moov) throws Mp4FormatException {
    Movie.Kept<Boolean> kept = Movie.tracks(moov, track -> hasSamples(track) ? Boolean.TRUE : null);
    return kept.video() != null || kept.audio() != null;
  }

  /** §8.7.3 stsz: a sample_count other than 0. */
  private static boolean hasSamples(Movie.TrackBox track) throws Mp4FormatException {
    ByteBuffer stsz = Boxes.child(track.stbl(), "stsz", "stbl");
    return stsz != null && stsz.limit() >= 12 && Boxes.u32(stsz, 8) != 0;
  }
}
