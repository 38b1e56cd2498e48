package dev.streamedge.vod;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * One play of one file (FLV, or MP4 with H.264 and AAC): its tags read off the event loop, a chunk at a
 * time, and handed to a {@link Sink} at the pace of their timestamps, ahead of the wall clock by the
 * player's buffer (as nginx-rtmp's {@code play} sends a file; a client that asks for a buffer of hours, as
 * rtmpdump does, gets the file as fast as it reads). Seek and pause as a player asks. All of it on one context.
 *
 * <p>Bounded: at most one chunk read and not yet handed on, plus what the format holds between reads
 * ({@link MediaFile}); nothing is read while the sink's socket is full. One read or seek of the file at a
 * time per play; what a read brings after a seek or the end is dropped by its generation number.
 */
public final class FilePlayback {

  /** Where the tags go, on the playback's context. */
  public interface Sink {

    /** The sink's socket takes no more now; {@link FilePlayback#drain} says when it does again. */
    boolean full();

    /** One tag: its body is the playback's own, as an RTMP message carries it. */
    void tag(MediaKind kind, long timestamp, ByteBuf body);

    /** The file was played to its end. */
    void ended();

    /** Reading the file failed (an I/O error or a malformed file); nothing more comes. */
    void failed(String reason);
  }

  /** A file that cannot be played, with the reason a player may hear. */
  public static final class Unplayable extends Exception {
    private final boolean missing;

    Unplayable(String message, boolean missing) {
      super(message, null, false, false);
      this.missing = missing;
    }

    /** There is no such file (rather than one that is not FLV or MP4). */
    public boolean missing() {
      return missing;
    }
  }

  private enum State { OPENING, PLAYING, SEEKING, ENDED, STOPPED }

  /** Bytes read from the file at a time. */
  static final int READ_SIZE = 64 * 1024;
  /** How much media one wake-up of the pacing timer hands on, at most. */
  private static final long PACE_BATCH_MILLIS = 100;
  /**
   * A gap between two tags' timestamps above this is a jump in the file: the clock starts again there
   * rather than wait for it.
   */
  private static final long MAX_WAIT_MILLIS = 10_000;
  /**
   * A step back above this (files joined end to end; audio and video interleave within a few hundred
   * milliseconds) starts the clock again too, rather than hurry through what follows.
   */
  private static final long MAX_BACK_MILLIS = 1_000;

  private final Context context;
  private final Path path;
  private final int maxTagSize;
  private final int maxIndexBytes;
  private final Sink sink;
  private final ArrayDeque<MediaFile.Tag> queue = new ArrayDeque<>();
  private long bufferMillis;
  private MediaFile media;
  private State state = State.OPENING;
  /** Paused by the player: nothing is handed on, whether playing or seeking. */
  private boolean paused;
  /** A read or a seek of the file runs on a worker: the next waits for its end. */
  private boolean busy;
  private boolean endOfFile;
  /** Moves at every seek and at stop: what was read before is not handed on. */
  private int generation;
  private long timer = -1;
  /** {@link #pump} runs: a read ending inside it leaves the rest to that loop. */
  private boolean pumping;
  /** A seek asked while the file was busy: only the last one asked runs. */
  private long nextSeek;
  private LongConsumer nextSought;
  private int scans;
  /** The wall clock (nanoTime) at which {@link #clockTimestamp} was handed on; -1 before the first tag. */
  private long clockNanos;
  private long clockTimestamp = -1;
  private long lastTimestamp;

  /**
   * A playback of {@code path}, not opened yet. {@code bufferMillis}: how far ahead of the clock tags go,
   * the player's buffer; {@code maxTagSize}: a larger tag is bad input; {@code maxIndexBytes}: the largest MP4
   * index the play holds.
   */
  public FilePlayback(Context context, Path path, long bufferMillis, int maxTagSize, int maxIndexBytes, Sink sink) {
    this.context = context;
    this.path = path;
    this.bufferMillis = bufferMillis;
    this.maxTagSize = maxTagSize;
    this.maxIndexBytes = maxIndexBytes;
    this.sink = sink;
  }

  /**
   * Opens the file off the event loop; fails with {@link Unplayable} when there is no such file to play, or
   * it is neither FLV nor an MP4 this node plays.
   */
  public Future<Void> open() {
    Path target = path;
    int maxTag = maxTagSize;
    int maxIndex = maxIndexBytes;
    return context.<MediaFile>executeBlocking(() -> MediaFiles.open(target, maxTag, maxIndex), false).compose(opened -> {
      if (state == State.STOPPED) {
        context.executeBlocking(() -> {
          opened.close();
          return null;
        }, false);
        return Future.failedFuture(new Unplayable("stopped", false));
      }
      media = opened;
      return Future.succeededFuture();
    });
  }

  /** How long the file plays, when it tells (its last tag's timestamp); empty before {@link #open} succeeded. */
  public OptionalLong durationMillis() {
    return media == null ? OptionalLong.empty() : media.durationMillis();
  }

  /** Starts handing tags on, from the file's start. After a successful {@link #open}. */
  public void start() {
    start(0);
  }

  /**
   * Starts handing tags on from the last keyframe at or before {@code fromMillis} (0: the file's start), as a
   * seek does but with nothing read from the start before it: a read that completes at once would otherwise
   * hand on the file's first tags ahead of the sought ones.
   */
  public void start(long fromMillis) {
    if (state == State.OPENING && media != null) {
      state = State.PLAYING;
      if (fromMillis > 0) {
        seek(fromMillis, at -> { });
      } else {
        pump();
      }
    }
  }

  /** The player's buffer changed (RTMP's SetBufferLength during a play). */
  public void bufferMillis(long millis) {
    bufferMillis = millis;
    if (timer != -1) {
      context.owner().cancelTimer(timer);
      timer = -1;
      pump();
    }
  }

  /** The sink's socket takes writes again. */
  public void drain() {
    pump();
  }

  /**
   * Pauses (nothing more is handed on) or resumes from where it paused, the clock starting again. A seek while
   * paused stays paused, as Flash players and nginx-rtmp have it: it plays from the sought point on resume.
   */
  public void pause(boolean pause) {
    if (pause && !paused && (state == State.PLAYING || state == State.SEEKING)) {
      paused = true;
      cancelTimer();
    } else if (!pause && paused) {
      paused = false;
      clockTimestamp = -1;
      pump();
    }
  }

  /**
   * Plays on from the last keyframe at or before {@code timeMillis}. What was read and not handed on is
   * dropped; {@code sought} runs with the new start's timestamp before its first tag is handed on (with the
   * sequence headers a decoder needs after the jump).
   */
  public void seek(long timeMillis, LongConsumer sought) {
    if (state == State.OPENING || state == State.STOPPED || media == null) {
      return;
    }
    state = State.SEEKING;
    ++generation;
    queue.clear();
    cancelTimer();
    if (busy) {
      // One read or seek of the file at a time per play: a storm of seeks costs the worker pool the read or
      // seek under way, then one for the last seek asked.
      nextSeek = timeMillis;
      nextSought = sought;
      return;
    }
    scan(timeMillis, sought);
  }

  private void scan(long timeMillis, LongConsumer sought) {
    busy = true;
    scans++;
    int seekGeneration = generation;
    MediaFile file = media;
    context.<MediaFile.Start>executeBlocking(() -> file.seek(Math.max(0, timeMillis)), false).onComplete(found -> {
      if (idle() || seekGeneration != generation || state != State.SEEKING) {
        return;
      }
      if (found.failed()) {
        fail("seek to " + timeMillis + " ms failed: " + found.cause().getMessage());
        return;
      }
      MediaFile.Start start = found.result();
      endOfFile = false;
      clockTimestamp = -1;
      queue.addAll(start.configs());
      state = State.PLAYING;
      sought.accept(start.timestamp());
      pump();
    });
  }

  /**
   * The file's read or seek ended: true when that is all there is to do with its result, because the playback
   * stopped (the file is closed now) or a seek waits (it runs now).
   */
  private boolean idle() {
    busy = false;
    if (state == State.STOPPED) {
      closeFile();
      return true;
    }
    if (nextSought != null) {
      LongConsumer then = nextSought;
      nextSought = null;
      if (state == State.SEEKING) {
        scan(nextSeek, then);
        return true;
      }
    }
    return false;
  }

  /** Seeks of the file started so far. */
  int scans() {
    return scans;
  }

  /** Ends the playback and closes the file; nothing more reaches the sink. */
  public void stop() {
    if (state == State.STOPPED) {
      return;
    }
    state = State.STOPPED;
    generation++;
    queue.clear();
    cancelTimer();
    nextSought = null;
    if (!busy) {
      closeFile();
    }
  }

  /** Hands on what is due, reads more when nothing is left, waits for the clock or the socket. */
  private void pump() {
    if (pumping) {
      // A read that ended at once (Vert.x completes a future's handler on the spot when the worker was
      // quicker than the handler's registration): the loop below goes on, rather than a stack of pumps.
      return;
    }
    pumping = true;
    try {
      pumpLoop();
    } finally {
      pumping = false;
    }
  }

  private void pumpLoop() {
    while (state == State.PLAYING && !paused && timer == -1) {
      MediaFile.Tag next = queue.peek();
      if (next == null) {
        if (endOfFile) {
          state = State.ENDED;
          sink.ended();
          return;
        }
        read();
        if (busy || media == null) {
          return; // its end pumps again, or the playback stopped
        }
        continue;
      }
      if (sink.full()) {
        return;
      }
      long ahead = aheadMillis(next.timestamp());
      if (ahead > bufferMillis) {
        // Wake when this tag is due and a little more, so that one wake-up hands on about a tenth of a second
        // of tags, not one tag: a timer per play ten times a second, not one per tag.
        timer = context.owner().setTimer(ahead - bufferMillis + PACE_BATCH_MILLIS, id -> {
          timer = -1;
          pump();
        });
        return;
      }
      queue.poll();
      sink.tag(next.kind(), next.timestamp(), next.body());
    }
  }

  /** How far {@code timestamp} is ahead of the clock; the first tag (or a jump) sets the clock. */
  private long aheadMillis(long timestamp) {
    long now = System.nanoTime();
    if (clockTimestamp < 0 || timestamp - lastTimestamp > MAX_WAIT_MILLIS
        || lastTimestamp - timestamp > MAX_BACK_MILLIS) {
      clockTimestamp = timestamp;
      clockNanos = now;
    }
    lastTimestamp = timestamp;
    return timestamp - clockTimestamp - (now - clockNanos) / 1_000_000;
  }

  private void read() {
    if (busy || endOfFile || media == null) {
      return;
    }
    busy = true;
    int readGeneration = generation;
    MediaFile file = media;
    context.<List<MediaFile.Tag>>executeBlocking(file::next, false).onComplete(read -> {
      if (idle() || readGeneration != generation) {
        return;
      }
      if (read.failed()) {
        fail(read.cause() instanceof IOException bad && bad.getMessage() != null ? bad.getMessage()
            : "read failed: " + read.cause());
        return;
      }
      if (read.result().isEmpty()) {
        endOfFile = true;
      } else {
        queue.addAll(read.result());
      }
      pump();
    });
  }

  private void fail(String reason) {
    stop();
    sink.failed(reason);
  }

  private void cancelTimer() {
    if (timer != -1) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
  }

  /** Closes the file off the event loop, once: after the playback stopped and no read or seek runs. */
  private void closeFile() {
    MediaFile file = media;
    media = null;
    if (file != null) {
      context.executeBlocking(() -> {
        file.close();
        return null;
      }, false);
    }
  }
}
