package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.GoodStream;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RTMP slots go to clients that use them: a connection must publish or play within
 * rtmp.publish-or-play-timeout of its connect, and rtmp.max-connections-per-address keeps one address
 * from taking every slot.
 */
@Tag("e2e")
@Tag("timing")
class IdleConnectionsTest {

  private static final int MAX_CONNECTIONS = 8;
  private static final Duration DEADLINE = Duration.ofSeconds(2);
  /** The timer checks once a second. */
  private static final Duration LATEST = DEADLINE.plusMillis(1600);
  private static final Duration AT_ONCE = Duration.ofMillis(700);
  private static final Duration BOUND = Duration.ofSeconds(8);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void clientsThatNeitherPublishNorPlayAreClosedAtTheDeadlineAndAPublisherAndPlayersGetTheirSlots() throws Exception {
    try (TestNode node = TestNode.start("--rtmp.max-connections=" + MAX_CONNECTIONS,
        "--rtmp.publish-or-play-timeout=2s", "--rtmp.ping-interval=1s")) {
      List<RawRtmp> idle = new ArrayList<>();
      GoodStream good = null;
      Process latePlayer = null;
      try {
        long connected = System.nanoTime();
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
          idle.add(RawRtmp.connected(node.rtmpPort()));
        }
        try (RawRtmp refused = RawRtmp.open(node.rtmpPort())) {
          assertThat(refused.handshakeIfAccepted()).as("a client while idle ones hold every slot").isFalse();
        }
        // They answer pings and ask for nothing else.
        for (RawRtmp client : idle) {
          client.awaitClosedByServer(BOUND);
          assertThat(Duration.ofNanos(System.nanoTime() - connected)).isLessThan(LATEST);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - connected)).isGreaterThanOrEqualTo(DEADLINE);
        assertThat(idle).allSatisfy(client -> assertThat(client.pingsAnswered()).isPositive());
        assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "publish-or-play-timeout"))
            .isEqualTo(MAX_CONNECTIONS);

        // A publisher and its players take the slots, and keep them for longer than the deadline.
        Path media = TestMedia.audioVideo(6, 1);
        good = GoodStream.start(node, "good", media);
        Path lateOut = Clients.output("idle-late-player.framemd5");
        latePlayer = processes.own(Clients.playToHashes("idle-late-player", node.rtmpUrl("good"), lateOut));
        good.assertPlayerReceivedEveryPacket();
        Ffmpeg.awaitSuccess("idle-late-player", latePlayer, 20);
        FrameHashes published = FrameHashes.ofFile(media);
        FrameHashes late = FrameHashes.parse(lateOut);
        FrameHashes.assertContiguous("late player video", published.video(), late.video());
        assertThat(late.video().size()).as("late player's frames").isGreaterThan(published.video().size() / 3);
      } finally {
        if (good != null) {
          good.close();
        }
        for (RawRtmp client : idle) {
          client.close();
        }
      }
    }
  }

  @Test
  void connectionWhoseStreamEndedIsClosedOnceItStaysIdleForTheDeadline() throws Exception {
    try (TestNode node = TestNode.start("--rtmp.publish-or-play-timeout=2s", "--rtmp.ping-interval=1s");
        RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      assertThat(client.createStream(2.0)).first().isEqualTo("_result");
      client.command(1, "publish", 0.0, null, "brief", "live");
      client.awaitStatus("NetStream.Publish.Start", BOUND);
      // Publishing (without media for less than rtmp.idle-publisher-timeout) is using the slot.
      long until = System.nanoTime() + DEADLINE.plusSeconds(1).toNanos();
      while (System.nanoTime() < until) {
        assertThat(client.pump(Duration.ofMillis(50))).as("publishing client still open").isTrue();
      }
      client.command(0, "deleteStream", 0.0, null, 1.0);
      long ended = System.nanoTime();
      client.awaitClosedByServer(BOUND);
      // Counted from the first check that finds it idle: the whole deadline, and up to two checks more.
      assertThat(Duration.ofNanos(System.nanoTime() - ended))
          .isGreaterThanOrEqualTo(DEADLINE).isLessThan(LATEST.plusSeconds(1));
    }
  }

  @Test
  void addressAtItsCapIsRefusedAtOnceWhileOtherAddressesGetIn() throws Exception {
    try (TestNode node = TestNode.start("--rtmp.max-connections=" + MAX_CONNECTIONS,
        "--rtmp.max-connections-per-address=3")) {
      List<RawRtmp> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          clients.add(RawRtmp.connectedFrom("127.0.0.2", node.rtmpPort()));
        }
        try (RawRtmp refused = RawRtmp.openFrom("127.0.0.2", node.rtmpPort())) {
          assertThat(refused.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
        }
        assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "address-limit")).isEqualTo(1);

        // Another address publishes meanwhile.
        RawRtmp publisher = RawRtmp.connected(node.rtmpPort());
        clients.add(publisher);
        assertThat(publisher.createStream(2.0)).first().isEqualTo("_result");
        publisher.command(1, "publish", 0.0, null, "other", "live");
        publisher.awaitStatus("NetStream.Publish.Start", BOUND);

        // A closed connection gives its address its slot back.
        clients.remove(0).close();
        Await.until("3 open RTMP connections", BOUND, () -> node.rtmpConnections() == 3);
        RawRtmp again = RawRtmp.connectedFrom("127.0.0.2", node.rtmpPort());
        clients.add(again);
        again.pingRoundTrip(1);
      } finally {
        for (RawRtmp client : clients) {
          client.close();
        }
      }
    }
  }
}
