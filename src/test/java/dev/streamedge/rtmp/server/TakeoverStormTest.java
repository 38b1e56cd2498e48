package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamInfo;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Publishers racing for a live key under the default {@code takeover} policy and no auth (issue 23,
 * finding 3): a publisher that is sending is never taken over by a stranger; one that went quiet, as
 * an OBS that lost its network, is, after {@code stream.takeover-after}; one presenting the same
 * credential takes over at once, at most {@code stream.max-takeovers-per-minute} times a minute.
 */
@Tag("e2e")
@Tag("timing")
class TakeoverStormTest {

  private static final int RACERS = 10;
  private static final Duration RACE = Duration.ofSeconds(8);
  private static final int FPS = 25;
  private static final String REFUSED = "streamedge_connections_refused_total";

  private static Vertx clients;

  @BeforeAll
  static void startClients() {
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stopClients() {
    clients.close();
  }

  @Test
  void racingPublishersAreRefusedWhileTheLivePublisherSendsAndItsViewerGetsEveryFrame() throws Exception {
    String key = "storm";
    try (TestNode node = TestNode.start()) {
      Process first = Clients.publishLooping("storm-first", TestMedia.audioVideo(4, 1), node.rtmpUrl(key));
      List<Process> racers = new ArrayList<>();
      try {
        node.awaitPublisher(key);
        String firstPeer = publisherOf(node, key).orElseThrow();
        RecordingPlayer viewer = RecordingPlayer.play(clients, node.rtmpPort(), key);
        Await.until("the viewer's first keyframe", Duration.ofSeconds(10), () -> viewer.keyframes() >= 1);

        Path media = TestMedia.audioVideo(3, 1);
        Set<String> publishers = new HashSet<>();
        int attempts = 0;
        int framesBefore = viewer.video().size();
        long start = System.nanoTime();
        long end = start + RACE.toNanos();
        Process[] slots = new Process[RACERS];
        while (System.nanoTime() < end) {
          for (int i = 0; i < RACERS; i++) {
            if (slots[i] == null || !slots[i].isAlive()) {
              slots[i] = Clients.publish("storm-racer-" + i, media, node.rtmpUrl(key));
              racers.add(slots[i]);
              attempts++;
            }
          }
          publisherOf(node, key).ifPresent(publishers::add);
          Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int frames = viewer.video().size() - framesBefore;
        long scrapedRefusals = takeoversRefused(node);
        System.out.printf("takeover storm: %d racers started %d publishes in %.1f s; publishers seen: %d;"
                + " viewer frames %d of %d expected; first publisher alive: %s; takeovers refused: %d%n",
            RACERS, attempts, seconds, publishers.size(), frames, Math.round(seconds * FPS), first.isAlive(),
            scrapedRefusals);

        assertThat(first.isAlive()).as("the sending publisher is still connected").isTrue();
        assertThat(publishers).as("publishers of the key during the race").containsExactly(firstPeer);
        // The racers' ffmpeg processes share two cores with the publisher: 80 % leaves room for that,
        // and is still more than a viewer got with the key changing hands (69 % here, 20 % in the probe).
        assertThat(frames).as("viewer frames during the race").isGreaterThan((int) (0.8 * seconds * FPS));
        assertThat(viewer.statuses).as("the viewer saw no publisher change").doesNotContain(
            "NetStream.Play.UnpublishNotify", "NetStream.Play.PublishNotify");
        assertThat(scrapedRefusals).as("refused takeovers counted").isPositive();
        for (int i = 0; i < RACERS; i++) {
          slots[i].waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(Ffmpeg.logTail("storm-racer-0")).contains("live/storm is already being published");
      } finally {
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (Process racer : racers) {
          racer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void anEncoderWhoseOldSessionWentQuietTakesOverWhenItRetriesAfterTheTakeoverTime() throws Exception {
    String key = "quiet";
    Duration takeoverAfter = Duration.ofSeconds(2);
    try (TestNode node = TestNode.start("--stream.takeover-after=" + takeoverAfter.toSeconds() + "s")) {
      Path media = TestMedia.audioVideo(4, 1);
      Process first = Clients.publishLooping("quiet-first", media, node.rtmpUrl(key));
      List<Process> retries = new ArrayList<>();
      try {
        node.awaitPublisher(key);
        String firstPeer = publisherOf(node, key).orElseThrow();
        RecordingPlayer viewer = RecordingPlayer.play(clients, node.rtmpPort(), key);
        Await.until("the viewer's first keyframe", Duration.ofSeconds(10), () -> viewer.keyframes() >= 1);

        // The encoder loses its network: its session stays open and goes quiet. It reconnects at once
        // and, as OBS does, retries a refused publish every second.
        signal(first, "-STOP");
        long frozeAt = System.nanoTime();
        String publisher = firstPeer;
        while (publisher.equals(firstPeer) && System.nanoTime() - frozeAt < Duration.ofSeconds(20).toNanos()) {
          Process retry = Clients.publishLooping("quiet-retry-" + retries.size(), media, node.rtmpUrl(key));
          retries.add(retry);
          long triedAt = System.nanoTime();
          while (retry.isAlive() && publisher.equals(firstPeer)
              && System.nanoTime() - triedAt < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(50);
            publisher = publisherOf(node, key).orElse(firstPeer);
          }
          if (publisher.equals(firstPeer)) {
            Thread.sleep(1000);
          }
        }
        Duration tookOver = Duration.ofNanos(System.nanoTime() - frozeAt);
        int framesAtTakeover = viewer.video().size();
        System.out.printf("quiet takeover: the retrying encoder took over %d ms after the old session froze,"
            + " on try %d%n", tookOver.toMillis(), retries.size());

        assertThat(publisher).as("the key's publisher after the retries").isNotEqualTo(firstPeer);
        assertThat(tookOver).as("not before the old session was quiet for the takeover time")
            .isGreaterThanOrEqualTo(takeoverAfter);
        Await.until("the new session's frames", Duration.ofSeconds(10),
            () -> viewer.video().size() > framesAtTakeover + FPS);
        assertThat(viewer.statuses).as("the viewer stayed with the stream")
            .doesNotContain("NetStream.Play.UnpublishNotify");
        assertThat(viewer.closedReason).isNull();
        signal(first, "-CONT");
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("the old session was disconnected").isTrue();
      } finally {
        signal(first, "-CONT");
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (Process retry : retries) {
          retry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void anEncoderPresentingTheSameStreamKeyTakesOverAtOnceAndAnotherKeyIsRefused() throws Exception {
    String key = "keyed";
    try (TestNode node = TestNode.start("--auth.publish=live=keys", "--auth.publish-keys=k1,k2")) {
      Path media = TestMedia.audioVideo(4, 1);
      Process first = Clients.publishLooping("keyed-first", media, node.rtmpUrl(key + "?key=k1"));
      Process same = null;
      try {
        node.awaitPublisher(key);
        String firstPeer = publisherOf(node, key).orElseThrow();

        Process other = Clients.publish("keyed-other", media, node.rtmpUrl(key + "?key=k2"));
        assertThat(other.waitFor(15, TimeUnit.SECONDS)).as("the other key's publisher is refused").isTrue();
        assertThat(other.exitValue()).isNotZero();
        assertThat(Ffmpeg.logTail("keyed-other")).contains("live/keyed is already being published: its publisher is"
            + " sending");
        assertThat(first.isAlive()).isTrue();

        same = Clients.publishLooping("keyed-same", media, node.rtmpUrl(key + "?key=k1"));
        assertThat(first.waitFor(15, TimeUnit.SECONDS)).as("the old session is disconnected at once").isTrue();
        Await.until("the same key's new session", Duration.ofSeconds(10),
            () -> publisherOf(node, key).filter(peer -> !peer.equals(firstPeer)).isPresent());
        assertThat(same.isAlive()).isTrue();
      } finally {
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (same != null) {
          same.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static void signal(Process process, String signal) throws Exception {
    if (process.isAlive()) {
      new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** The refused-takeover counter; 0 for a node that has none. */
  private static long takeoversRefused(TestNode node) throws Exception {
    Prometheus scrape = node.scrape();
    return scrape.labelSets(REFUSED).contains(Map.of("reason", "takeover"))
        ? Math.round(scrape.value(REFUSED, "reason", "takeover")) : 0;
  }

  private static Optional<String> publisherOf(TestNode node, String key) throws Exception {
    return node.node().registry().info(new StreamKey("live", key)).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS).map(StreamInfo::publisher);
  }
}
