package dev.streamedge.hls;

import dev.streamedge.fmp4.FlvTracks;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Cuts audio where the pictures change: at a keyframe's presentation time, not its decode time. With
 * B-frames a keyframe is decoded before it is shown (by its composition offset, 80 ms for two B-frames at
 * 25 fps), and FLV interleaves audio by decode time, so the audio shown before the keyframe arrives after
 * it and went into the next segment. A rendition encoded without B-frames cut its audio at the
 * presentation time, so a player switching from the source to it at a segment boundary met a gap of that
 * offset in the audio (hls.js's fMP4 path does not fill it; Chromium waits at it). Here a keyframe with an
 * offset, and the video after it, waits until the audio reaches the keyframe's presentation time, at most
 * {@link #MAX_HELD} frames, so every variant of a ladder cuts its audio at the same frame. Streams without
 * audio, keyframes without an offset and the keyframe that starts a run pass straight through, and so does
 * every keyframe while {@code aligned} says no: the hold delays the segment's end by the offset, which only
 * a ladder's switches need to pay (a single stream's segments close when the keyframe arrives, as
 * nginx-rtmp's do, cutting audio by decode time). Audio that comes late goes into the segment it belongs
 * to. Used on the muxer's thread.
 */
final class KeyframeHold implements FlvTracks.Sink {

  /** A bound on the frames held, should the audio stall: at 60 fps, a quarter of a second. */
  static final int MAX_HELD = 16;

  private record Held(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock) {
  }

  private final FlvTracks.Sink next;
  /** Whether the muxer is within a run: the keyframe that starts one has no audio before it to wait for. */
  private final BooleanSupplier inRun;
  /** Whether the stream's audio cuts must line up with other variants': asked at each keyframe with an offset. */
  private BooleanSupplier aligned = () -> true;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  /** The presentation time of the held keyframe: audio before it goes first. */
  private long heldUntil;
  private boolean audio;
  private long audioFrameMillis;

  KeyframeHold(FlvTracks.Sink next, BooleanSupplier inRun) {
    this.next = next;
    this.inRun = inRun;
  }

  /** Holds keyframes only while {@code whether} says so (a ladder's members); always until set. */
  void aligned(BooleanSupplier whether) {
    this.aligned = whether;
  }

  @Override
  public void videoConfig(byte[] record, AvcConfig avc, SampleEntry entry) {
    releaseQuietly();
    next.videoConfig(record, avc, entry);
  }

  @Override
  public void audioConfig(byte[] record, AacConfig aac, SampleEntry entry, long frameMillis) {
    releaseQuietly();
    audio = true;
    audioFrameMillis = Math.max(1, frameMillis);
    next.audioConfig(record, aac, entry, frameMillis);
  }

  @Override
  public void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock)
      throws MediaFormatException {
    if (!held.isEmpty()) {
      if (dts >= heldUntil || dts < held.peekFirst().dts() || held.size() >= MAX_HELD) {
        release();
      } else {
        held.add(new Held(dts, cts, keyframe, data, wallClock));
        return;
      }
    }
    if (keyframe && cts > 0 && audio && inRun.getAsBoolean() && aligned.getAsBoolean()) {
      heldUntil = dts + cts;
      held.add(new Held(dts, cts, keyframe, data, wallClock));
      return;
    }
    next.videoFrame(dts, cts, keyframe, data, wallClock);
  }

  @Override
  public void audioFrame(long pts, ByteBuf data, int samples, long wallClock) throws MediaFormatException {
    if (!held.isEmpty() && pts >= heldUntil) {
      release();
    }
    next.audioFrame(pts, data, samples, wallClock);
    if (!held.isEmpty() && pts + audioFrameMillis >= heldUntil) {
      release();
    }
  }

  /** The stream's session ended or its tracks change: what is held goes on now, and audio is forgotten. */
  void flush() {
    releaseQuietly();
    audio = false;
  }

  /** Passes the held frames on in order; the first failure is thrown once all have been tried. */
  private void release() throws MediaFormatException {
    MediaFormatException failed = null;
    while (!held.isEmpty()) {
      Held frame = held.poll();
      try {
        next.videoFrame(frame.dts(), frame.cts(), frame.keyframe(), frame.data(), frame.wallClock());
      } catch (MediaFormatException e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** As {@link #release}, where a malformed held frame is dropped as the muxer drops any. */
  private void releaseQuietly() {
    try {
      release();
    } catch (MediaFormatException e) {
      // The muxer stayed consistent and dropped that frame; the packager counts malformed packets it sees.
    }
  }
}
