package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.GoodStream;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-node and per-connection limits and the liveness timers: each refuses or closes only the
 * connection concerned, while an ffmpeg publisher and player on another key lose nothing (checked frame
 * for frame by the last test).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("e2e")
@Tag("timing")
class RtmpLimitsTest {

  private static final int MAX_CONNECTIONS = 6;
  /** The good ffmpeg publisher and player. */
  private static final int GOOD_CONNECTIONS = 2;
  private static final Duration AT_ONCE = Duration.ofMillis(700);
  private static final Duration BOUND = Duration.ofSeconds(8);

  @RegisterExtension
  static final TestNode node = TestNode.extension(
      "--rtmp.max-connections=" + MAX_CONNECTIONS,
      "--rtmp.max-streams-per-connection=2",
      "--rtmp.ping-interval=1s",
      "--rtmp.ping-timeout=2s",
      "--rtmp.idle-publisher-timeout=2s");
  private static GoodStream good;

  @BeforeAll
  static void start() throws Exception {
    good = GoodStream.start(node, "good", TestMedia.audioVideo(12, 2));
  }

  @AfterAll
  static void stop() throws Exception {
    if (good != null) {
      good.close();
    }
  }

  @AfterEach
  void serverStillServesNewClients() throws Exception {
    good.assertNotDisturbed();
    try (RawRtmp fresh = RawRtmp.connected(node.rtmpPort())) {
      fresh.pingRoundTrip(777);
    }
  }

  @Test
  void thirdCreateStreamGetsAnErrorAndTheConnectionStaysUsable() throws Exception {
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      assertThat(client.createStream(2.0)).containsExactly("_result", 2.0, null, 1.0);
      assertThat(client.createStream(3.0)).containsExactly("_result", 3.0, null, 2.0);
      List<Object> refused = client.createStream(4.0);
      assertThat(refused).hasSize(4).startsWith("_error", 4.0, null);
      assertThat(refused.get(3)).isInstanceOfSatisfying(Map.class, info -> {
        assertThat(info.get("level")).isEqualTo("error");
        assertThat(info.get("code")).isEqualTo("NetConnection.Call.Failed");
      });
      client.pingRoundTrip(1);
      // Deleting a stream frees its slot; the new stream is usable for publishing.
      client.command(0, "deleteStream", 0.0, null, 1.0);
      assertThat(client.createStream(5.0)).containsExactly("_result", 5.0, null, 3.0);
      client.command(3, "publish", 0.0, null, "third", "live");
      client.awaitStatus("NetStream.Publish.Start", Duration.ofSeconds(5));
    }
  }

  @Test
  void connectionBeyondMaxConnectionsIsClosedAtOnceAndASlotFreedByACloseIsReused() throws Exception {
    awaitConnections(GOOD_CONNECTIONS);
    List<RawRtmp> accepted = new ArrayList<>();
    try {
      for (int i = GOOD_CONNECTIONS; i < MAX_CONNECTIONS; i++) {
        RawRtmp client = RawRtmp.open(node.rtmpPort());
        accepted.add(client);
        assertThat(client.handshakeIfAccepted()).as("connection " + (i + 1)).isTrue();
      }
      assertThat(node.rtmpConnections()).isEqualTo(MAX_CONNECTIONS);
      try (RawRtmp refused = RawRtmp.open(node.rtmpPort())) {
        assertThat(refused.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
      }
      assertThat(node.rtmpConnections()).isEqualTo(MAX_CONNECTIONS);

      accepted.remove(0).close();
      awaitConnections(MAX_CONNECTIONS - 1);
      RawRtmp again = RawRtmp.open(node.rtmpPort());
      accepted.add(again);
      assertThat(again.handshakeIfAccepted()).isTrue();
      again.connect("live");
      again.pingRoundTrip(2);

      // A burst at the limit: every one of them is refused; none is half-accepted.
      List<RawRtmp> burst = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          burst.add(RawRtmp.open(node.rtmpPort()));
        }
        for (RawRtmp client : burst) {
          assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
        }
      } finally {
        for (RawRtmp client : burst) {
          client.close();
        }
      }
      again.pingRoundTrip(3);
    } finally {
      for (RawRtmp client : accepted) {
        client.close();
      }
    }
    awaitConnections(GOOD_CONNECTIONS);

    // With room for four, a burst of ten gets exactly four in.
    List<RawRtmp> burst = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        burst.add(RawRtmp.open(node.rtmpPort()));
      }
      int in = 0;
      for (RawRtmp client : burst) {
        if (client.handshakeIfAccepted()) {
          in++;
        }
      }
      assertThat(in).isEqualTo(MAX_CONNECTIONS - GOOD_CONNECTIONS);
    } finally {
      for (RawRtmp client : burst) {
        client.close();
      }
    }
    awaitConnections(GOOD_CONNECTIONS);
  }

  @Test
  void serverAnswersAPingRequestWithAPingResponseCarryingTheSameTimestamp() throws Exception {
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      for (long value : new long[] {0, 42, 0x7FFFFFFFL, 0xCAFEBABEL, 0xFFFFFFFFL}) {
        client.userControl(RawRtmp.UC_PING_REQUEST, value);
        var response = client.await("Ping Response", Duration.ofSeconds(5),
            m -> RawRtmp.userControlEvent(m) == RawRtmp.UC_PING_RESPONSE);
        assertThat(RawRtmp.userControlValue(response)).as("ping " + value).isEqualTo(value);
      }
    }
  }

  @Test
  void clientThatNeverAnswersPingsIsClosedAfterThePingTimeoutWhileOneThatAnswersStays() throws Exception {
    try (RawRtmp silent = RawRtmp.connected(node.rtmpPort());
        RawRtmp answering = RawRtmp.connected(node.rtmpPort())) {
      silent.answerPings(false);
      long deadline = System.nanoTime() + BOUND.toNanos();
      while (silent.pump(Duration.ofMillis(20))) {
        answering.pump(Duration.ofMillis(20));
        assertThat(System.nanoTime()).as("silent client still open after " + BOUND).isLessThan(deadline);
      }
      long closed = System.nanoTime();
      assertThat(silent.firstServerPingNanos()).as("a ping request reached the silent client").isPositive();
      assertThat(Duration.ofNanos(closed - silent.firstServerPingNanos()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1800)).isLessThan(Duration.ofMillis(3600));
      // The answering one outlives the silent one's timeout by more than a ping interval.
      long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
      while (System.nanoTime() < until) {
        assertThat(answering.pump(Duration.ofMillis(50))).as("answering client still open").isTrue();
      }
      assertThat(answering.pingsAnswered()).isGreaterThanOrEqualTo(2);
      answering.pingRoundTrip(4);
    }
  }

  /**
   * A client that sends is alive and is not pinged (nginx-rtmp's rule): ffmpeg reads what a server sends a
   * publisher only between its writes, and closing with a ping unread reset the connection and lost its last
   * messages.
   */
  @Test
  void aPublisherThatSendsMediaIsNotPinged() throws Exception {
    try (RawRtmp publisher = RawRtmp.publishing(node.rtmpPort(), "busy")) {
      node.awaitPublisher("busy");
      // Three ping intervals (1 s here) of an audio message every 100 ms, reading what the server sends.
      for (int i = 0; i < 30; i++) {
        publisher.send(new RtmpMessage(6, MessageType.AUDIO, 1, i * 100L,
            Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 1, 0x21, 0})));
        assertThat(publisher.pump(Duration.ofMillis(100))).as("still open").isTrue();
      }
      assertThat(publisher.firstServerPingNanos()).as("a ping to a publisher that sends").isEqualTo(-1);
      // Silent from now on, it is pinged within an interval and a timer tick.
      Await.until("a ping once it is silent", Duration.ofSeconds(3), () -> {
        publisher.pump(Duration.ofMillis(100));
        return publisher.firstServerPingNanos() > 0;
      });
    }
  }

  @Test
  void publisherThatSendsNoMediaIsClosedAfterTheIdleTimeout() throws Exception {
    try (RawRtmp publisher = RawRtmp.connected(node.rtmpPort())) {
      assertThat(publisher.createStream(2.0)).first().isEqualTo("_result");
      publisher.command(1, "publish", 0.0, null, "idle", "live");
      publisher.awaitStatus("NetStream.Publish.Start", Duration.ofSeconds(5));
      node.awaitPublisher("idle");
      // It answers pings, so only the idle timeout can close it.
      Duration closedAfter = publisher.awaitClosedByServer(BOUND);
      assertThat(closedAfter).isGreaterThanOrEqualTo(Duration.ofMillis(1800)).isLessThan(Duration.ofMillis(3600));
      assertThat(publisher.pingsAnswered()).isPositive();
    }
    Await.until("live/idle without a publisher", Duration.ofSeconds(5), () -> node.node().registry()
        .info(new StreamKey("live", "idle")).toCompletionStage().toCompletableFuture().get()
        .map(info -> info.publisher() == null).orElse(true));
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void goodPlayerReceivedEveryPublishedPacketThroughAllOfIt() throws Exception {
    good.assertPlayerReceivedEveryPacket();
  }

  private static void awaitConnections(int count) throws Exception {
    Await.until(count + " open RTMP connections", Duration.ofSeconds(5), () -> node.rtmpConnections() == count);
  }
}
