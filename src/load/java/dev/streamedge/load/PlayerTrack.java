package dev.streamedge.load;

import io.netty.buffer.ByteBuf;

/**
 * One player's view of the stream, fed by its event loop: when it asked to play, its first picture, and
 * whether the marked frames came in order and complete. The fields read at the end from the main
 * thread are volatile; each has a single writer.
 */
final class PlayerTrack {

  enum State { CONNECTING, PLAYING, FAILED, DISCONNECTED, CLOSED }

  private final LoadMeter meter;
  private final long startNanos;
  private long playSentNanos;
  private boolean firstFrameSeen;
  private volatile long firstFrameNanos;
  private int nalLengthSize = 4;
  private long lastSequence = -1;
  private long lastSentNanos;
  private volatile State state = State.CONNECTING;
  private volatile long framesInWindow;
  private volatile String reason = "";

  PlayerTrack(LoadMeter meter, long startNanos) {
    this.meter = meter;
    this.startNanos = startNanos;
  }

  void playSent(long nowNanos) {
    playSentNanos = nowNanos;
    state = State.PLAYING;
    LoadMeter.record(meter.connect, nowNanos - startNanos);
  }

  void failed(String why) {
    reason = why;
    state = State.FAILED;
  }

  /** The connection ended: by the server or the network while playing, else by us at the end. */
  void closed(String why) {
    if (state == State.PLAYING || state == State.CONNECTING) {
      reason = why;
      state = State.DISCONNECTED;
    }
  }

  void closing() {
    if (state == State.PLAYING) {
      state = State.CLOSED;
    }
  }

  /** An FLV video body (RTMP, HTTP-FLV) received at {@code nowNanos}. */
  void video(ByteBuf body, long nowNanos) {
    int declared = FrameMark.nalLengthSize(body);
    if (declared > 0) {
      nalLengthSize = declared;
    } else if (FrameMark.isAvcFrame(body)) {
      // FrameType 1 (§E.4.3.1) is a keyframe.
      frame((body.getByte(body.readerIndex()) & 0xF0) == 0x10, FrameMark.find(body, nalLengthSize), nowNanos);
    }
  }

  /** A video access unit received at {@code nowNanos}, with its mark if it has one. */
  void frame(boolean keyframe, FrameMark.Mark mark, long nowNanos) {
    if (!firstFrameSeen) {
      if (!keyframe) {
        return;
      }
      firstFrameSeen = true;
      firstFrameNanos = nowNanos;
      LoadMeter.record(meter.firstFrame, nowNanos - playSentNanos);
    }
    if (mark == null) {
      return;
    }
    long sequence = mark.sequence();
    // A lower sequence sent later than the last mark: the stream's publisher changed (an HLS player can start
    // with a segment of the one before, kept in the playlist across the restart). Its count starts again.
    if (lastSequence >= 0 && sequence <= lastSequence && mark.sentNanos() > lastSentNanos) {
      meter.publisherRestarts.increment();
      lastSequence = -1;
    }
    if (lastSequence >= 0 && sequence <= lastSequence) {
      meter.reordered.increment();
      return;
    }
    if (lastSequence >= 0 && sequence > lastSequence + 1) {
      meter.missing.add(sequence - lastSequence - 1);
    }
    lastSequence = sequence;
    lastSentNanos = mark.sentNanos();
    // Frames sent before this player asked to play come from the server's GOP cache (or, for HLS, from
    // the segment it starts with): their delay is the cache's age, not the server's latency.
    if (mark.sentNanos() >= playSentNanos) {
      LoadMeter.Window window = meter.window();
      long latency = nowNanos - mark.sentNanos();
      LoadMeter.record(window.latency, latency);
      if (keyframe) {
        LoadMeter.record(window.keyframeLatency, latency);
      }
      window.frames.increment();
      framesInWindow = framesInWindow + window.counts;
    }
  }

  State state() {
    return state;
  }

  /** When the first keyframe came ({@link System#nanoTime()}), 0 before it. */
  long firstFrameNanos() {
    return firstFrameNanos;
  }

  String reason() {
    return reason;
  }

  long framesInWindow() {
    return framesInWindow;
  }
}
