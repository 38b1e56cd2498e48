package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.GoodStream;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * rtmp.max-incomplete-bytes bounds what all connections together hold in partly received messages. When
 * it is short, the connection whose message has waited longest goes, not the one that is sending: clients
 * that start large messages and stop cannot lock a live stream out.
 */
@Tag("e2e")
@Tag("timing")
class IncompleteMessageBudgetTest {

  private static final int CHUNK = 64 * 1024;
  /** What one staller holds: four full chunks of a larger message. */
  private static final int HELD = 4 * CHUNK;
  /** Eight of them hold the whole 2 MiB budget. */
  private static final int STALLERS = 8;
  private static final int MESSAGE_LENGTH = 1_000_000;

  /**
   * A publisher that starts a 1,000,000-byte video message, sends its first four 64 KiB chunks and stops
   * there, answering pings (while pumped) like a live client.
   */
  static RawRtmp staller(int port, String key) throws Exception {
    RawRtmp client = RawRtmp.connected(port);
    assertThat(client.createStream(2.0)).first().isEqualTo("_result");
    client.command(1, "publish", 0.0, null, key, "live");
    client.awaitStatus("NetStream.Publish.Start", Duration.ofSeconds(5));
    client.setChunkSize(CHUNK, true);
    client.write(startOfMessage(MESSAGE_LENGTH, HELD / CHUNK));
    return client;
  }

  /** A type 0 chunk on csid 6 starting a video message on stream 1, then type 3 chunks: {@code chunks} full chunks. */
  static ByteBuf startOfMessage(int length, int chunks) {
    ByteBuf bytes = Unpooled.buffer();
    // fmt 0 on csid 6: timestamp 0, the length, type 9 (video), message stream 1 (little-endian).
    bytes.writeByte(6).writeMedium(0).writeMedium(length).writeByte(MessageType.VIDEO).writeIntLE(1);
    for (int i = 0; i < chunks; i++) {
      if (i > 0) {
        bytes.writeByte(3 << 6 | 6);
      }
      bytes.writeZero(CHUNK);
    }
    return bytes;
  }

  /** Reads what the server sent for up to {@code max}: whether it has closed the connection. */
  static boolean closedByServer(RawRtmp client, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!client.pump(Duration.ofMillis(20))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void publisherAndPlayerOfALiveStreamOutlastConnectionsStalledHalfwayThroughAMessage() throws Exception {
    try (TestNode node = TestNode.start("--rtmp.max-message-size=1MiB", "--rtmp.max-incomplete-bytes=2MiB",
        // Only eviction can make room here: the stallers outlive the test otherwise.
        "--rtmp.partial-message-timeout=60s")) {
      List<RawRtmp> stallers = new ArrayList<>();
      GoodStream good = null;
      try {
        for (int i = 0; i < STALLERS; i++) {
          stallers.add(staller(node.rtmpPort(), "stall-" + i));
          long expected = (long) (i + 1) * HELD;
          Await.until(expected + " bytes on the node's account", Duration.ofSeconds(5),
              () -> node.rtmpIncompleteBytes() == expected);
        }
        // The budget is full: from here, any chunk that ends a read mid-message needs what the stallers hold.
        good = GoodStream.start(node, "good", TestMedia.audioVideo(6, 1));
        good.assertPlayerReceivedEveryPacket();
        int closed = 0;
        for (RawRtmp staller : stallers) {
          closed += closedByServer(staller, Duration.ofMillis(200)) ? 1 : 0;
        }
        assertThat(closed).as("stallers closed to make room").isPositive();
        assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "incomplete-budget"))
            .as("evictions counted").isEqualTo(closed);
      } finally {
        if (good != null) {
          good.close();
        }
        for (RawRtmp staller : stallers) {
          staller.close();
        }
      }
    }
  }
}
