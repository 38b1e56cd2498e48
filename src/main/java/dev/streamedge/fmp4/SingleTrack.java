package dev.streamedge.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * One track of a muxed stream written alone, fragment after fragment, for one segment: what MPEG-DASH
 * players want (one track per Representation; dash.js refuses multiplexed ones, after the DASH-IF
 * interoperability guidelines' §3.2.1). Its fragments are the muxed fragment's {@code traf} and samples
 * of that track, with the same sequence numbers and track ID. Not thread-safe.
 */
public final class SingleTrack {

  private final ByteBuf out = Unpooled.buffer();
  private long start = -1;
  private long presentationStart = -1;
  private long end = -1;

  /** Appends a fragment of {@code run}, which must have samples and have been ended ({@link TrackRun#endAt}). */
  void append(long sequenceNumber, TrackRun run) {
    if (start < 0) {
      start = run.baseDecodeTime();
      // The first sample in decode order is the keyframe, the earliest shown of a closed GOP.
      presentationStart = start + run.compositionOffset(0);
    }
    Fragment.write(out, sequenceNumber, List.of(run));
    end = run.end();
  }

  /** Whether no fragment was appended since the last {@link #take}. */
  public boolean isEmpty() {
    return start < 0;
  }

  /** Decode time of the first sample, in the track's timescale; -1 when empty. */
  public long start() {
    return start;
  }

  /** Presentation time of the first sample (its decode time plus composition offset); -1 when empty. */
  public long presentationStart() {
    return presentationStart;
  }

  /** Where the last fragment ends, in the track's timescale; -1 when empty. */
  public long end() {
    return end;
  }

  /** The fragments appended since the last call; the next segment starts empty. */
  public byte[] take() {
    byte[] bytes = ByteBufUtil.getBytes(out);
    out.clear();
    start = -1;
    presentationStart = -1;
    end = -1;
    return bytes;
  }
}
