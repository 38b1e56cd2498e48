package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The auth service being slow, down or swamped: it never holds up another client, each call ends
 * within the timeout, and then the configured answer applies.
 */
@Tag("e2e")
@Tag("timing")
class AuthCallbackTest {

  private static final long NANOS_PER_MS = 1_000_000;
  private static Path media;
  private static Vertx clients;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @BeforeAll
  static void start() throws Exception {
    media = TestMedia.audioVideo(3, 1);
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    clients.close();
  }

  @Test
  void aCallbackThatDoesNotAnswerForOneStreamHoldsUpNoOtherPublishOrPlayAndTimesOut() throws Exception {
    try (CallbackServer service = CallbackServer.start(call -> call.field("name").equals("slow")
            ? CallbackServer.HOLD : 200);
        TestNode node = TestNode.start("--auth.publish=live=callback", "--auth.play=live=callback",
            "--auth.callback.on-publish=" + service.url("/on_publish"),
            "--auth.callback.on-play=" + service.url("/on_play"),
            "--auth.callback.timeout=4s")) {
      long slowStarted = System.nanoTime();
      Process slow = processes.own(Clients.publish("callback-slow", media, node.rtmpUrl("slow")));
      Await.until("the slow stream's call", Duration.ofSeconds(10),
          () -> !service.calls("publish", "live", "slow").isEmpty());

      long fastStarted = System.nanoTime();
      processes.own(Clients.publish("callback-fast", TestMedia.audioVideo(8, 1), node.rtmpUrl("fast")));
      node.awaitPublisher("fast");
      RecordingPlayer player = RecordingPlayer.play(clients, node.rtmpPort(), "fast");
      Await.until("a keyframe for the player of the other stream", Duration.ofSeconds(10),
          () -> player.keyframes() >= 1);
      long fastPlaying = System.nanoTime();

      assertThat(slow.isAlive()).as("the slow publisher still waits for its answer").isTrue();
      assertThat(node.node().registry().info(new StreamKey("live", "slow")).toCompletionStage().toCompletableFuture()
          .get().map(info -> info.publisher() != null).orElse(false)).isFalse();
      assertThat((fastPlaying - fastStarted) / NANOS_PER_MS).as("ms from the other publisher's start to its player's "
          + "first keyframe, ffmpeg's start-up included").isLessThan(3000);

      assertThat(slow.waitFor(10, TimeUnit.SECONDS)).as("the slow publisher is answered").isTrue();
      long slowAnswered = System.nanoTime();
      assertThat(slow.exitValue()).isNotZero();
      assertThat(Ffmpeg.logTail("callback-slow")).contains("Not authorized to publish live/slow.");
      assertThat((slowAnswered - slowStarted) / NANOS_PER_MS).as("ms from the slow publisher's start to its answer")
          .isBetween(4000L, 7000L);
    }
  }

  @Test
  void aCallbackServiceThatIsDownGetsTheWhenDownAnswerAtOnce() throws Exception {
    String nobody = "http://127.0.0.1:" + FreePorts.next() + "/on_publish";
    try (TestNode denying = TestNode.start("--auth.publish=live=callback", "--auth.callback.on-publish=" + nobody,
        "--auth.callback.timeout=20s", "--auth.callback.when-down=deny")) {
      long started = System.nanoTime();
      Process refused = processes.own(Clients.publish("callback-down-deny", media, denying.rtmpUrl("down")));
      assertThat(refused.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(refused.exitValue()).isNotZero();
      assertThat((System.nanoTime() - started) / NANOS_PER_MS).as("ms to refuse, far below the 20 s timeout")
          .isLessThan(5000);
      assertThat(denying.node().auth().refusedTotal()).isEqualTo(1);
    }
    try (TestNode allowing = TestNode.start("--auth.publish=live=callback", "--auth.callback.on-publish=" + nobody,
        "--auth.callback.timeout=20s", "--auth.callback.when-down=allow")) {
      Process allowed = processes.own(Clients.publish("callback-down-allow", media, allowing.rtmpUrl("down")));
      allowing.awaitPublisher("down");
      Ffmpeg.awaitSuccess("callback-down-allow", allowed, 30);
      assertThat(allowing.node().auth().refusedTotal()).isZero();
    }
  }

  @Test
  void beyondMaxInFlightCallsACheckGetsTheWhenDownAnswerWithoutACall() throws Exception {
    try (CallbackServer service = CallbackServer.start(call -> CallbackServer.HOLD);
        TestNode node = TestNode.start("--auth.publish=live=callback",
            "--auth.callback.on-publish=" + service.url("/on_publish"),
            "--auth.callback.timeout=20s", "--auth.callback.max-in-flight=1")) {
      Process held = processes.own(Clients.publish("callback-held", media, node.rtmpUrl("held")));
      Await.until("the held call", Duration.ofSeconds(10), () -> service.calls.size() == 1);

      Process second = processes.own(Clients.publish("callback-over-limit", media, node.rtmpUrl("second")));
      assertThat(second.waitFor(10, TimeUnit.SECONDS)).as("refused long before the timeout").isTrue();
      assertThat(second.exitValue()).isNotZero();
      assertThat(service.calls).as("calls the service got").hasSize(1);
      assertThat(held.isAlive()).isTrue();
    }
  }
}
