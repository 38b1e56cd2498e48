package dev.streamedge.vod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A playback on a real event loop, of files written tag by tag: what reaches the sink, in what order, how a
 * storm of seeks is bounded, and that a full socket stops it.
 */
@Tag("unit")
class FilePlaybackTest {

  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path dir;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A file of {@code seconds} with a keyframe every second and 25 fps of interframes between (timestamps only). */
  private Path file(int seconds) throws Exception {
    return file(seconds, 1);
  }

  /** As {@link #file(int)}, its frames {@code times} over, each time from timestamp 0 (files joined end to end). */
  private Path file(int seconds, int times) throws Exception {
    ByteBuf flv = Unpooled.buffer();
    flv.writeBytes(new byte[] {'F', 'L', 'V', 1, 1, 0, 0, 0, 9, 0, 0, 0, 0});
    tag(flv, 9, 0, new byte[] {0x17, 0, 0, 0, 0, 1});
    for (int time = 0; time < times; time++) {
      for (int frame = 0; frame < seconds * 25; frame++) {
        byte[] body = frame % 25 == 0 ? new byte[] {0x17, 1, 0, 0, 0, (byte) frame} : new byte[] {0x27, 1, 0, 0, 0,
            (byte) frame};
        tag(flv, 9, frame * 40L, body);
      }
    }
    Path path = dir.resolve("f.flv");
    Files.write(path, ByteBufUtil.getBytes(flv));
    return path;
  }

  private static void tag(ByteBuf flv, int type, long timestamp, byte[] body) {
    flv.writeByte(type).writeMedium(body.length).writeMedium((int) timestamp).writeByte(0).writeMedium(0)
        .writeBytes(body).writeInt(11 + body.length);
  }

  /** What a sink saw. */
  private static final class Seen implements FilePlayback.Sink {
    final List<Long> timestamps = new ArrayList<>();
    final CompletableFuture<String> end = new CompletableFuture<>();
    volatile boolean full;

    @Override
    public boolean full() {
      return full;
    }

    @Override
    public void tag(MediaKind kind, long timestamp, ByteBuf body) {
      timestamps.add(timestamp);
    }

    @Override
    public void ended() {
      end.complete("ended");
    }

    @Override
    public void failed(String reason) {
      end.complete("failed: " + reason);
    }
  }

  private <T> T onLoop(Context context, java.util.concurrent.Callable<T> action) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        done.complete(action.call());
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  /** Opens {@code playback} and waits for it. */
  private void opened(Context context, FilePlayback playback) throws Exception {
    onLoop(context, () -> playback.open().toCompletionStage().toCompletableFuture()).get(10, TimeUnit.SECONDS);
  }

  /** Opens and starts {@code playback}. */
  private void started(Context context, FilePlayback playback) throws Exception {
    opened(context, playback);
    onLoop(context, () -> {
      playback.start();
      return null;
    });
  }

  @Test
  void withABufferLongerThanTheFileEveryTagComesAtOnceInOrder() throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    FilePlayback playback = new FilePlayback(context, file(4), 60_000, 1 << 20, 1 << 20, seen);
    long start = System.nanoTime();
    started(context, playback);
    assertThat(seen.end.get(10, TimeUnit.SECONDS)).isEqualTo("ended");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no waiting").isLessThan(2000);
    assertThat(seen.timestamps).hasSize(101).isSorted();
  }

  @Test
  void withAShortBufferTheFileTakesAboutItsDuration() throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    FilePlayback playback = new FilePlayback(context, file(2), 500, 1 << 20, 1 << 20, seen);
    long start = System.nanoTime();
    started(context, playback);
    assertThat(seen.end.get(10, TimeUnit.SECONDS)).isEqualTo("ended");
    // The last tag is at 1960 ms and may leave 500 ms early.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1400);
  }

  @Test
  void aStartPastTheBeginningHandsOnNothingBeforeItsKeyframe() throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    FilePlayback playback = new FilePlayback(context, file(4), 60_000, 1 << 20, 1 << 20, seen);
    opened(context, playback);
    onLoop(context, () -> {
      playback.start(2500);
      return null;
    });
    assertThat(seen.end.get(10, TimeUnit.SECONDS)).isEqualTo("ended");
    // The sequence header again at the keyframe's time, then frames 50 to 99.
    assertThat(seen.timestamps).hasSize(51).allMatch(timestamp -> timestamp >= 2000).isSorted();
  }

  @Test
  void filesJoinedEndToEndArePacedThroughBothHalves() throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    // Two 2 s runs from timestamp 0, 500 ms ahead: about 1.5 s for the first, 2 s for the second, not 1.5 in all.
    FilePlayback playback = new FilePlayback(context, file(2, 2), 500, 1 << 20, 1 << 20, seen);
    long start = System.nanoTime();
    started(context, playback);
    assertThat(seen.end.get(10, TimeUnit.SECONDS)).isEqualTo("ended");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(2900);
    assertThat(seen.timestamps).hasSize(101);
  }

  @Test
  void aStormOfSeeksSeeksTheFileOnceAndLandsWhereTheLastOneAsked() throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    // Ten minutes of tags, sought near their end: each scan reads 15,000 tag headers, far longer than the
    // 200 seeks take to ask (a scan that ends before the next seek would be a storm of one).
    FilePlayback playback = new FilePlayback(context, file(600), 1_000_000, 1 << 20, 1 << 20, seen);
    opened(context, playback);
    seen.full = true; // nothing leaves before the seeks
    List<Long> sought = new ArrayList<>();
    onLoop(context, () -> {
      playback.start();
      for (int i = 0; i < 200; i++) {
        playback.seek(500_000 + i * 37L, sought::add);
      }
      return null;
    });
    Await.until("the last seek answered", Duration.ofSeconds(10), () -> onLoop(context, sought::size) > 0);
    // One read or seek of the file at a time: the first read runs when the seeks come, then the last seek alone.
    assertThat(onLoop(context, playback::scans)).as("scans for 200 seeks").isEqualTo(1);
    // The last seek asked for 500,000 + 199 * 37 = 507,363 ms: the keyframe at 507,000.
    assertThat(sought).containsExactly(507_000L);
    onLoop(context, () -> {
      seen.full = false;
      playback.drain();
      return null;
    });
    assertThat(seen.end.get(10, TimeUnit.SECONDS)).isEqualTo("ended");
    // The sequence header again, then from the keyframe at 507,000 on: frames 12,675 to 14,999.
    assertThat(seen.timestamps.get(0)).isEqualTo(507_000);
    assertThat(seen.timestamps.subList(1, seen.timestamps.size())).hasSize(2325).isSorted();
  }

  @Test
  void aPauseHoldsTheFileAndAResumePlaysOnFromWhereItStopped() throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    // 3 s at 25 fps, played 500 ms ahead: about a second of it has left when it pauses, 0.5 s in.
    FilePlayback playback = new FilePlayback(context, file(3), 500, 1 << 20, 1 << 20, seen);
    started(context, playback);
    Thread.sleep(500);
    int before = onLoop(context, () -> {
      playback.pause(true);
      return seen.timestamps.size();
    });
    Thread.sleep(600);
    assertThat(onLoop(context, seen.timestamps::size)).as("nothing while paused").isEqualTo(before);
    long resumed = System.nanoTime();
    onLoop(context, () -> {
      playback.pause(false);
      return null;
    });
    assertThat(seen.end.get(10, TimeUnit.SECONDS)).isEqualTo("ended");
    assertThat(seen.timestamps).as("every tag, in order").hasSize(76).isSorted();
    // What was left (from about 1 s of media on) plays at its pace again, not at once.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed)).isGreaterThan(1000);
  }

  @Test
  void aSeekWhilePausedStaysPausedAndPlaysFromTheSoughtKeyframeOnResume() throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    FilePlayback playback = new FilePlayback(context, file(4), 500, 1 << 20, 1 << 20, seen);
    started(context, playback);
    Thread.sleep(200);
    List<Long> sought = new ArrayList<>();
    int before = onLoop(context, () -> {
      playback.pause(true);
      playback.seek(2500, sought::add);
      return seen.timestamps.size();
    });
    // The seek lands (read on the loop, where it is written), and still nothing leaves while paused.
    Await.until("the seek landed", Duration.ofSeconds(10), () -> onLoop(context, sought::size) > 0);
    Thread.sleep(600);
    assertThat(onLoop(context, () -> List.copyOf(sought))).as("the seek landed").containsExactly(2000L);
    assertThat(onLoop(context, seen.timestamps::size)).as("nothing while paused, sought or not").isEqualTo(before);
    onLoop(context, () -> {
      playback.pause(false);
      return null;
    });
    assertThat(seen.end.get(10, TimeUnit.SECONDS)).isEqualTo("ended");
    // The sequence header again at 2000, then the keyframe at 2000 and the 49 frames after it.
    List<Long> after = seen.timestamps.subList(before, seen.timestamps.size());
    assertThat(after.get(0)).isEqualTo(2000);
    assertThat(after.subList(1, after.size())).hasSize(50).isSorted().startsWith(2000L);
  }

  @Test
  void theFileTellsHowLongItPlaysFromItsLastTag() throws Exception {
    Context context = vertx.getOrCreateContext();
    FilePlayback playback = new FilePlayback(context, file(3), 500, 1 << 20, 1 << 20, new Seen());
    assertThat(playback.durationMillis()).as("before it is open").isEmpty();
    opened(context, playback);
    // 75 frames 40 ms apart: the last at 2960 ms.
    assertThat(onLoop(context, playback::durationMillis)).hasValue(2960);
    // A file cut in its last tag (a crash while recording) does not tell.
    Path torn = dir.resolve("torn.flv");
    byte[] whole = Files.readAllBytes(file(3));
    Files.write(torn, java.util.Arrays.copyOf(whole, whole.length - 3));
    FilePlayback cut = new FilePlayback(context, torn, 500, 1 << 20, 1 << 20, new Seen());
    opened(context, cut);
    assertThat(onLoop(context, cut::durationMillis)).isEmpty();
  }

  @Test
  void aFullSocketStopsTheFileUntilItDrains() throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    FilePlayback playback = new FilePlayback(context, file(2), 60_000, 1 << 20, 1 << 20, seen);
    opened(context, playback);
    seen.full = true;
    onLoop(context, () -> {
      playback.start();
      return null;
    });
    Thread.sleep(300);
    assertThat(onLoop(context, seen.timestamps::size)).isZero();
    onLoop(context, () -> {
      seen.full = false;
      playback.drain();
      return null;
    });
    assertThat(seen.end.get(10, TimeUnit.SECONDS)).isEqualTo("ended");
    assertThat(seen.timestamps).hasSize(51);
  }

  @Test
  void aMissingFileOrOneThatIsNotFlvIsUnplayable() throws Exception {
    Context context = vertx.getOrCreateContext();
    Files.writeString(dir.resolve("text.flv"), "hello");
    for (Path path : List.of(dir.resolve("absent.flv"), dir.resolve("text.flv"), dir)) {
      FilePlayback playback = new FilePlayback(context, path, 1000, 1 << 20, 1 << 20, new Seen());
      Throwable failure = onLoop(context, () -> playback.open().toCompletionStage().toCompletableFuture()).handle(
          (ok, e) -> e).get(10, TimeUnit.SECONDS);
      assertThat(failure).as(path.toString()).isInstanceOf(FilePlayback.Unplayable.class);
    }
  }
}
