package dev.streamedge.load;

import dev.streamedge.rtmp.client.RtmpPublishClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the tags of an FLV file in real time, looping it with timestamps that keep counting up,
 * and marks every H.264 frame with {@link FrameMark} just before it is written, so the mark carries the
 * moment the frame left. Runs on one event loop; the file's metadata and sequence headers go out once.
 */
final class Publisher {

  /** How early a tag may go: timers fire on whole milliseconds. */
  private static final long EARLY_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

  private final Vertx vertx;
  private final List<FlvReader.Tag> tags;
  private final long loopMillis;
  private final int nalLengthSize;
  private RtmpPublishClient client;
  private Context context;
  private long startNanos;
  private int index;
  private long loop;
  private long timer = -1;
  private volatile long sequence;
  private volatile long lateNanosMax;
  private volatile String closedReason;
  private boolean stopped;

  Publisher(Vertx vertx, List<FlvReader.Tag> tags) {
    if (tags.stream().noneMatch(tag -> tag.type() == FlvReader.TYPE_VIDEO)) {
      throw new IllegalArgumentException("the FLV file has no video: frames could not be marked");
    }
    this.vertx = vertx;
    this.tags = tags;
    this.loopMillis = loopMillis(tags);
    this.nalLengthSize = tags.stream().filter(tag -> tag.type() == FlvReader.TYPE_VIDEO)
        .mapToInt(tag -> FrameMark.nalLengthSize(Unpooled.wrappedBuffer(tag.body()))).filter(size -> size > 0)
        .findFirst().orElse(4);
  }

  /** Connects and publishes on {@code on}'s event loop; once the server accepted, tags flow at their pace. */
  Future<Void> start(Context on, StreamTarget target) {
    Promise<Void> started = Promise.promise();
    on.runOnContext(v -> RtmpPublishClient.publish(vertx, target.options(), target.url(),
        reason -> closedReason = reason).<Void>map(publishing -> {
          client = publishing;
          context = on;
          startNanos = System.nanoTime();
          pump();
          return null;
        }).onComplete(started));
    return started.future();
  }

  /** Frames marked and sent so far. */
  long framesSent() {
    return sequence;
  }

  /** The most a tag went out after its time: above a frame interval, the pacing itself lagged. */
  long lateNanosMax() {
    return lateNanosMax;
  }

  /** Why the server closed the publisher's connection, or null while it is open. */
  String closedReason() {
    return closedReason;
  }

  Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      vertx.cancelTimer(timer);
      client.close().onComplete(closed);
    });
    return closed.future();
  }

  private void pump() {
    if (stopped || closedReason != null) {
      return;
    }
    long now = System.nanoTime();
    while (true) {
      FlvReader.Tag tag = tags.get(index);
      long offset = tag.timestamp() - tags.get(0).timestamp();
      long timestamp = loop * loopMillis + offset;
      long due = startNanos + TimeUnit.MILLISECONDS.toNanos(timestamp);
      if (due > now + EARLY_NANOS) {
        timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - now)), id -> pump());
        return;
      }
      lateNanosMax = Math.max(lateNanosMax, now - due);
      send(tag, timestamp);
      if (++index == tags.size()) {
        index = 0;
        loop++;
      }
      now = System.nanoTime();
    }
  }

  private void send(FlvReader.Tag tag, long timestamp) {
    ByteBuf body = Unpooled.wrappedBuffer(tag.body());
    switch (tag.type()) {
      case FlvReader.TYPE_SCRIPT -> {
        if (loop == 0) {
          client.sendMetadata(timestamp, body);
        }
      }
      case FlvReader.TYPE_AUDIO -> {
        // An AAC sequence header (AACPacketType 0, §E.4.2.1) goes out once; repeating it is harmless but useless.
        boolean config = body.readableBytes() > 1 && (body.getByte(0) & 0xF0) == 0xA0 && body.getByte(1) == 0;
        if (loop == 0 || !config) {
          client.sendAudio(timestamp, body);
        }
      }
      default -> {
        if (FrameMark.isAvcFrame(body)) {
          long number = sequence;
          sequence = number + 1;
          client.sendVideo(timestamp, FrameMark.inject(body, nalLengthSize, number, System.nanoTime()));
        } else if (loop == 0) {
          client.sendVideo(timestamp, body);
        }
      }
    }
  }

  /** The file's length as a loop: its last timestamp plus one video frame interval, so loops do not overlap. */
  private static long loopMillis(List<FlvReader.Tag> tags) {
    long[] video = tags.stream().filter(tag -> tag.type() == FlvReader.TYPE_VIDEO).mapToLong(FlvReader.Tag::timestamp)
        .toArray();
    long first = tags.get(0).timestamp();
    long last = tags.stream().mapToLong(FlvReader.Tag::timestamp).max().orElse(first);
    long interval = video.length > 1 ? Math.max(1, (video[video.length - 1] - video[0]) / (video.length - 1)) : 40;
    return last - first + interval;
  }
}
