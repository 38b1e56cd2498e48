package dev.streamedge.vod;

import dev.streamedge.flv.FlvStreamReader;
import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * One play of one FLV file: its tags read off the event loop, a chunk at a time, and handed to a
 * {@link Sink} at the pace of their timestamps, ahead of the wall clock by the player's buffer (as
 * nginx-rtmp's {@code play} sends a file; a client that asks for a buffer of hours, as rtmpdump does,
 * gets the file as fast as it reads). Seek and pause as a player asks. All of it on one context.
 *
 * <p>Bounded: at most one chunk read and not yet handed on, plus one tag being completed (at most the
 * largest tag allowed); nothing is read while the sink's socket is full. A read that finishes after a seek
 * or the end is dropped by its generation number.
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

    /** Reading the file failed (an I/O error or bad FLV); nothing more comes. */
    void failed(String reason);
  }

  /** A file that cannot be played, with the reason a player may hear. */
  public static final class Unplayable extends Exception {
    Unplayable(String message) {
      super(message, null, false, false);
    }
  }

  private enum State { OPENING, PLAYING, PAUSED, SEEKING, ENDED, STOPPED }

  private record Tag(MediaKind kind, long timestamp, ByteBuf body) {
  }

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
  private final Sink sink;
  private final ArrayDeque<Tag> queue = new ArrayDeque<>();
  private long bufferMillis;
  private FileChannel file;
  private FlvStreamReader reader;
  private State state = State.OPENING;
  private long readPosition;
  private boolean reading;
  private boolean endOfFile;
  /** Moves at every seek and at stop: what was read before is not handed on. */
  private int generation;
  private long timer = -1;
  /** {@link #pump} runs: a read ending inside it leaves the rest to that loop. */
  private boolean pumping;
  /** A scan for a seek runs on a worker; a seek asked meanwhile waits in {@link #nextSeek}. */
  private boolean scanning;
  private long nextSeek;
  private LongConsumer nextSought;
  private int scans;
  /** The wall clock (nanoTime) at which {@link #clockTimestamp} was handed on; -1 before the first tag. */
  private long clockNanos;
  private long clockTimestamp = -1;
  private long lastTimestamp;

  /**
   * A playback of {@code path}, not opened yet. {@code bufferMillis}: how far ahead of the clock tags go,
   * the player's buffer; {@code maxTagSize}: a larger tag is bad input.
   */
  public FilePlayback(Context context, Path path, long bufferMillis, int maxTagSize, Sink sink) {
    this.context = context;
    this.path = path;
    this.bufferMillis = bufferMillis;
    this.maxTagSize = maxTagSize;
    this.sink = sink;
  }

  /** Opens the file off the event loop; fails with {@link Unplayable} when there is no such file to play. */
  public Future<Void> open() {
    Path target = path;
    return context.<FileChannel>executeBlocking(() -> {
      if (!Files.isRegularFile(target)) {
        throw new Unplayable("no such file");
      }
      try {
        FileChannel channel = FileChannel.open(target, StandardOpenOption.READ);
        ByteBuffer signature = ByteBuffer.allocate(3);
        channel.read(signature, 0);
        if (signature.position() < 3 || signature.get(0) != 'F' || signature.get(1) != 'L'
            || signature.get(2) != 'V') {
          channel.close();
          throw new Unplayable("not an FLV file");
        }
        return channel;
      } catch (NoSuchFileException gone) {
        throw new Unplayable("no such file");
      }
    }, false).compose(channel -> {
      if (state == State.STOPPED) {
        closeQuietly(channel);
        return Future.failedFuture(new Unplayable("stopped"));
      }
      file = channel;
      reader = new FlvStreamReader(maxTagSize, this::tagRead);
      return Future.succeededFuture();
    });
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
    if (state == State.OPENING && file != null) {
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

  /** Pauses (nothing more is handed on) or resumes from where it paused, the clock starting again. */
  public void pause(boolean paused) {
    if (paused && state == State.PLAYING) {
      state = State.PAUSED;
      cancelTimer();
    } else if (!paused && state == State.PAUSED) {
      state = State.PLAYING;
      clockTimestamp = -1;
      pump();
    }
  }

  /**
   * Plays on from the last keyframe at or before {@code timeMillis}. What was read and not handed on is
   * dropped; {@code sought} runs with the new start's timestamp before its first tag is handed on (with the
   * sequence headers a decoder needs after the jump). Ends a pause, and a playback that had ended.
   */
  public void seek(long timeMillis, LongConsumer sought) {
    if (state == State.OPENING || state == State.STOPPED || file == null) {
      return;
    }
    state = State.SEEKING;
    ++generation;
    queue.clear();
    cancelTimer();
    reading = false;
    if (scanning) {
      // One scan at a time per play: a storm of seeks costs the worker pool one scan of the file, then
      // one for the last seek asked.
      nextSeek = timeMillis;
      nextSought = sought;
      return;
    }
    scan(timeMillis, sought);
  }

  private void scan(long timeMillis, LongConsumer sought) {
    scanning = true;
    scans++;
    int seekGeneration = generation;
    FileChannel channel = file;
    context.<FlvSeek.Point>executeBlocking(() -> FlvSeek.find(channel::read, Math.max(0, timeMillis), maxTagSize),
        false)
        .onComplete(found -> {
          scanning = false;
          if (nextSought != null && state == State.SEEKING) {
            LongConsumer then = nextSought;
            nextSought = null;
            scan(nextSeek, then);
            return;
          }
          nextSought = null;
          if (seekGeneration != generation || state != State.SEEKING) {
            return;
          }
          if (found.failed()) {
            fail("seek to " + timeMillis + " ms failed: " + found.cause().getMessage());
            return;
          }
          FlvSeek.Point point = found.result();
          readPosition = point.offset();
          endOfFile = false;
          reader = FlvStreamReader.fromTag(maxTagSize, this::tagRead);
          clockTimestamp = -1;
          if (point.videoConfig() != null) {
            queue.add(new Tag(MediaKind.VIDEO, point.timestamp(), point.videoConfig()));
          }
          if (point.audioConfig() != null) {
            queue.add(new Tag(MediaKind.AUDIO, point.timestamp(), point.audioConfig()));
          }
          state = State.PLAYING;
          sought.accept(point.timestamp());
          pump();
        });
  }

  /** Scans for seeks started so far. */
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
    FileChannel channel = file;
    file = null;
    if (channel != null) {
      context.executeBlocking(() -> {
        closeQuietly(channel);
        return null;
      }, false);
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
    while (state == State.PLAYING && timer == -1) {
      Tag next = queue.peek();
      if (next == null) {
        if (endOfFile) {
          state = State.ENDED;
          sink.ended();
          return;
        }
        read();
        if (reading || file == null) {
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
    if (reading || endOfFile || file == null) {
      return;
    }
    reading = true;
    int readGeneration = generation;
    FileChannel channel = file;
    long position = readPosition;
    context.<ByteBuf>executeBlocking(() -> {
      ByteBuffer chunk = ByteBuffer.allocate(READ_SIZE);
      int n = channel.read(chunk, position);
      return n < 0 ? null : Unpooled.wrappedBuffer(chunk.array(), 0, n);
    }, false).onComplete(read -> {
      if (readGeneration != generation) {
        return;
      }
      reading = false;
      if (read.failed()) {
        fail("read failed: " + read.cause());
        return;
      }
      ByteBuf chunk = read.result();
      if (chunk == null) {
        endOfFile = true;
      } else {
        readPosition += chunk.readableBytes();
        try {
          reader.feed(chunk);
        } catch (FlvStreamReader.FormatException e) {
          fail("bad FLV before offset " + readPosition + ": " + e.getMessage());
          return;
        }
      }
      pump();
    });
  }

  private void tagRead(int type, long timestamp, ByteBuf body) {
    queue.add(new Tag(type == 8 ? MediaKind.AUDIO : type == 9 ? MediaKind.VIDEO : MediaKind.DATA, timestamp, body));
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

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a file only read from loses nothing
    }
  }
}
