package dev.streamedge.fmp4;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A movie fragment (ISO/IEC 14496-12 §8.8.4): one {@code moof} with a {@code traf} per track that
 * has samples, then one {@code mdat} with those samples, track after track. Every sample's duration,
 * size, flags and composition offset is in {@code trun}, so nothing depends on {@code trex}
 * defaults; offsets are relative to the {@code moof} ({@code default-base-is-moof}, §8.8.7.1).
 */
public final class Fragment {

  /** tfhd: default-base-is-moof. */
  private static final int TFHD_BASE_IS_MOOF = 0x020000;
  /** trun: data-offset, sample-duration, sample-size, sample-flags present (§8.8.8.1). */
  private static final int TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400;
  private static final int TRUN_COMPOSITION_OFFSETS = 0x000800;
  /** §8.8.3.1 sample flags: sample_depends_on 2 (depends on no other). */
  private static final int FLAGS_SYNC = 0x02000000;
  /** sample_depends_on 1 and sample_is_non_sync_sample. */
  private static final int FLAGS_NON_SYNC = 0x01010000;

  private Fragment() {
  }

  /**
   * Writes the fragment of {@code runs} (those without samples are left out; at least one must have
   * some).
   *
   * @param sequenceNumber {@code mfhd} sequence number, growing from fragment to fragment (§8.8.5)
   */
  public static void write(ByteBuf out, long sequenceNumber, List<TrackRun> runs) {
    int moofStart = Boxes.begin(out, "moof");
    int mfhd = Boxes.beginFull(out, "mfhd", 0, 0);
    out.writeInt((int) sequenceNumber);
    Boxes.end(out, mfhd);
    int[] dataOffsetFields = new int[runs.size()];
    for (int r = 0; r < runs.size(); r++) {
      TrackRun run = runs.get(r);
      if (run.sampleCount() == 0) {
        continue;
      }
      int traf = Boxes.begin(out, "traf");
      int tfhd = Boxes.beginFull(out, "tfhd", 0, TFHD_BASE_IS_MOOF);
      out.writeInt(run.trackId());
      Boxes.end(out, tfhd);
      int tfdt = Boxes.beginFull(out, "tfdt", 1, 0); // §8.8.12: 64-bit baseMediaDecodeTime
      out.writeLong(run.baseDecodeTime());
      Boxes.end(out, tfdt);
      boolean offsets = hasCompositionOffsets(run);
      // Version 1: signed composition offsets, which a B-frame stream with an edit-free timeline needs.
      int trun = Boxes.beginFull(out, "trun", offsets ? 1 : 0, TRUN_FLAGS | (offsets ? TRUN_COMPOSITION_OFFSETS : 0));
      out.writeInt(run.sampleCount());
      dataOffsetFields[r] = out.writerIndex();
      out.writeInt(0); // data_offset, patched below
      for (int i = 0; i < run.sampleCount(); i++) {
        out.writeInt((int) run.duration(i));
        out.writeInt(run.size(i));
        out.writeInt(run.sync(i) ? FLAGS_SYNC : FLAGS_NON_SYNC);
        if (offsets) {
          out.writeInt(run.compositionOffset(i));
        }
      }
      Boxes.end(out, trun);
      Boxes.end(out, traf);
    }
    Boxes.end(out, moofStart);

    int mdat = Boxes.begin(out, "mdat");
    for (int r = 0; r < runs.size(); r++) {
      TrackRun run = runs.get(r);
      if (run.sampleCount() == 0) {
        continue;
      }
      out.setInt(dataOffsetFields[r], out.writerIndex() - moofStart);
      out.writeBytes(run.data(), run.data().readerIndex(), run.data().readableBytes());
    }
    Boxes.end(out, mdat);
  }

  private static boolean hasCompositionOffsets(TrackRun run) {
    for (int i = 0; i < run.sampleCount(); i++) {
      if (run.compositionOffset(i) != 0) {
        return true;
      }
    }
    return false;
  }
}
