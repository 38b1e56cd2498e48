package dev.streamedge.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * The samples of one track for the fragment being built: their bytes back to back and, per sample,
 * decode time, composition offset and whether it is a sync sample. Reused from fragment to fragment
 * ({@link #clear}), so a long stream allocates only when a fragment holds more than any before.
 * Not thread-safe.
 */
public final class TrackRun {

  private final int trackId;
  private final ByteBuf data = Unpooled.buffer();
  private long[] decodeTimes = new long[64];
  private int[] sizes = new int[64];
  private int[] compositionOffsets = new int[64];
  private boolean[] sync = new boolean[64];
  private int count;
  private long end;

  /** @param trackId the track's ID in the init segment, from 1 */
  public TrackRun(int trackId) {
    this.trackId = trackId;
  }

  public int trackId() {
    return trackId;
  }

  public int sampleCount() {
    return count;
  }

  /** Decode time of the first sample: the fragment's {@code tfdt}. */
  public long baseDecodeTime() {
    return decodeTimes[0];
  }

  /** Bytes of the samples so far. */
  public int dataSize() {
    return data.readableBytes();
  }

  ByteBuf data() {
    return data;
  }

  /**
   * Appends a sample.
   *
   * @param decodeTime in the track's timescale; not before the previous sample's
   * @param compositionOffset presentation time minus decode time, in the track's timescale
   * @param sample its readable bytes are copied; the buffer is left untouched
   */
  public void add(long decodeTime, int compositionOffset, boolean syncSample, ByteBuf sample) {
    add(decodeTime, compositionOffset, syncSample, null, sample);
  }

  /** Appends a sample made of {@code prefix} (when not null) and then {@code sample}'s readable bytes. */
  public void add(long decodeTime, int compositionOffset, boolean syncSample, byte[] prefix, ByteBuf sample) {
    if (count > 0 && decodeTime < decodeTimes[count - 1]) {
      throw new IllegalArgumentException("decode time " + decodeTime + " before " + decodeTimes[count - 1]);
    }
    if (count == sizes.length) {
      int grown = count * 2;
      decodeTimes = Arrays.copyOf(decodeTimes, grown);
      sizes = Arrays.copyOf(sizes, grown);
      compositionOffsets = Arrays.copyOf(compositionOffsets, grown);
      sync = Arrays.copyOf(sync, grown);
    }
    decodeTimes[count] = decodeTime;
    sizes[count] = sample.readableBytes() + (prefix == null ? 0 : prefix.length);
    compositionOffsets[count] = compositionOffset;
    sync[count] = syncSample;
    count++;
    if (prefix != null) {
      data.writeBytes(prefix);
    }
    data.writeBytes(sample, sample.readerIndex(), sample.readableBytes());
    end = decodeTime;
  }

  /**
   * Where the last sample ends, which gives its duration: the next fragment's first decode time, so
   * that the track's timeline has no gap.
   */
  public void endAt(long decodeTime) {
    end = Math.max(decodeTime, count == 0 ? decodeTime : decodeTimes[count - 1]);
  }

  /** Decode time where the run ends, as set by {@link #endAt} (or the last sample's start). */
  public long end() {
    return end;
  }

  /** Empties the run for the next fragment. */
  public void clear() {
    count = 0;
    data.clear();
  }

  long duration(int index) {
    return (index + 1 < count ? decodeTimes[index + 1] : end) - decodeTimes[index];
  }

  int size(int index) {
    return sizes[index];
  }

  int compositionOffset(int index) {
    return compositionOffsets[index];
  }

  boolean sync(int index) {
    return sync[index];
  }
}
