package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A message has a deadline from its first chunk to its last (rtmp.partial-message-timeout), and a
 * connection that has not published may send only small messages (rtmp.max-message-size-before-publish):
 * a client cannot park heap in a message it never finishes, even while it answers pings.
 */
@Tag("e2e")
@Tag("timing")
class StalledMessagesTest {

  private static final Duration PARTIAL_MESSAGE_TIMEOUT = Duration.ofSeconds(2);
  /** The timer checks once a second. */
  private static final Duration LATEST = PARTIAL_MESSAGE_TIMEOUT.plusMillis(1600);
  private static final int BEFORE_PUBLISH = 4096;
  private static final Duration AT_ONCE = Duration.ofMillis(700);
  private static final Duration BOUND = Duration.ofSeconds(8);

  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(
        "--rtmp.partial-message-timeout=2s",
        "--rtmp.ping-interval=1s",
        "--rtmp.max-message-size-before-publish=4KiB");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @AfterEach
  void serverStillServesNewClients() throws Exception {
    try (RawRtmp fresh = RawRtmp.connected(node.rtmpPort())) {
      fresh.pingRoundTrip(777);
    }
    Await.until("nothing left on the node's account", BOUND, () -> node.rtmpIncompleteBytes() == 0);
  }

  @Test
  void publisherThatStopsHalfwayThroughAFrameIsClosedAtThePartialMessageTimeoutThoughItAnswersPings() throws Exception {
    double before = refusals("partial-message-timeout");
    try (RawRtmp staller = IncompleteMessageBudgetTest.staller(node.rtmpPort(), "halfway")) {
      long started = System.nanoTime();
      Await.until("the staller's bytes on the node's account", BOUND, () -> node.rtmpIncompleteBytes() > 0);
      staller.awaitClosedByServer(BOUND);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(PARTIAL_MESSAGE_TIMEOUT.minusMillis(100)).isLessThan(LATEST);
      assertThat(staller.pingsAnswered()).as("pings answered while stalled").isPositive();
    }
    awaitRefusals("partial-message-timeout", before + 1);
  }

  @Test
  void commandLeftHalfwayBeforeAnyPublishIsClosedAtThePartialMessageTimeout() throws Exception {
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      // A 4000-byte AMF0 command (within the limit before publish) of which only the first chunk comes.
      client.write(Unpooled.buffer().writeByte(3).writeMedium(0).writeMedium(4000)
          .writeByte(MessageType.COMMAND_AMF0).writeIntLE(0).writeZero(128));
      long started = System.nanoTime();
      client.awaitClosedByServer(BOUND);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(PARTIAL_MESSAGE_TIMEOUT.minusMillis(100)).isLessThan(LATEST);
    }
  }

  @Test
  void beforePublishAMessageOfTheLimitIsAcceptedAndOneByteMoreClosesTheConnectionAtOnce() throws Exception {
    double before = refusals("message-size");
    try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
      // Audio on a stream nobody publishes: read whole and dropped.
      client.send(new RtmpMessage(6, MessageType.AUDIO, 0, 0, filled(BEFORE_PUBLISH)));
      client.pingRoundTrip(1);
      client.write(type0Header(6, BEFORE_PUBLISH + 1, MessageType.AUDIO));
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
    }
    // A player never publishes: the limit stays.
    try (RawRtmp player = RawRtmp.connected(node.rtmpPort())) {
      assertThat(player.createStream(2.0)).first().isEqualTo("_result");
      player.command(1, "play", 0.0, null, "nothing", -2.0);
      player.awaitStatus("NetStream.Play.Start", BOUND);
      player.write(type0Header(6, BEFORE_PUBLISH + 1, MessageType.VIDEO));
      assertThat(player.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
    }
    awaitRefusals("message-size", before + 2);
  }

  @Test
  void oncePublishingAConnectionMaySendMessagesUpToMaxMessageSize() throws Exception {
    try (RawRtmp publisher = RawRtmp.connected(node.rtmpPort())) {
      assertThat(publisher.createStream(2.0)).first().isEqualTo("_result");
      publisher.command(1, "publish", 0.0, null, "large", "live");
      publisher.awaitStatus("NetStream.Publish.Start", BOUND);
      publisher.setChunkSize(65536, true);
      // On message stream 0, which publishes nothing: the node reads it whole and drops it.
      publisher.send(new RtmpMessage(6, MessageType.AUDIO, 0, 0, filled(300_000)));
      publisher.pingRoundTrip(2);
    }
  }

  private static double refusals(String reason) throws Exception {
    return node.scrape().value("streamedge_connections_refused_total", "reason", reason);
  }

  private static void awaitRefusals(String reason, double count) throws Exception {
    Await.until(count + " refusals for " + reason, BOUND, () -> refusals(reason) == count);
  }

  private static ByteBuf filled(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return Unpooled.wrappedBuffer(bytes);
  }

  private static ByteBuf type0Header(int csid, int length, int type) {
    return Unpooled.buffer().writeByte(csid).writeMedium(0).writeMedium(length).writeByte(type).writeIntLE(1);
  }
}
