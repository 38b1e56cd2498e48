package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * rtmp.max-incomplete-bytes bounds what all connections together may hold in partly received messages:
 * many clients that each send the start of a large message and stop cannot exhaust the node's memory.
 */
class IncompleteMessageBudgetTest {

  private static final int CHUNK = 65536;

  /** Starts a 1,000,000-byte video message in one 64 KiB chunk and sends only its first bytes. */
  private static RawRtmp startLargeMessage(int port) throws Exception {
    RawRtmp client = RawRtmp.connected(port);
    client.setChunkSize(CHUNK, true);
    // fmt 0 on csid 6: timestamp 0, length 1,000,000, type 9 (video), message stream 1 (little-endian).
    client.write(new byte[] {0x06, 0, 0, 0, 0x0F, 0x42, 0x40, 0x09, 1, 0, 0, 0});
    client.write(new byte[1000]);
    return client;
  }

  @Test
  void theConnectionThatWouldPassTheNodeWideBudgetIsClosedAndFreedBytesAreReused() throws Exception {
    try (TestNode node = TestNode.start("--rtmp.max-message-size=1000000", "--rtmp.max-chunk-size=" + CHUNK,
        "--rtmp.max-incomplete-bytes=1MiB")) {
      List<RawRtmp> holding = new ArrayList<>();
      try {
        // Each holds one 64 KiB chunk on the node's account: sixteen make exactly 1 MiB.
        for (int i = 0; i < 16; i++) {
          holding.add(startLargeMessage(node.rtmpPort()));
        }
        for (RawRtmp client : holding) {
          assertThat(client.pump(Duration.ofMillis(50))).as("a client within the budget stays").isTrue();
        }
        try (RawRtmp over = startLargeMessage(node.rtmpPort())) {
          over.awaitClosedByServer(Duration.ofSeconds(3));
        }
        holding.remove(0).close();
        // The server frees a closed connection's bytes when it sees the close.
        RawRtmp again = null;
        for (int attempt = 0; attempt < 50 && again == null; attempt++) {
          RawRtmp candidate = startLargeMessage(node.rtmpPort());
          if (candidate.pump(Duration.ofMillis(200))) {
            again = candidate;
          } else {
            candidate.close();
          }
        }
        assertThat(again).as("a new client once a holder left").isNotNull();
        holding.add(again);
      } finally {
        for (RawRtmp client : holding) {
          client.close();
        }
      }
    }
  }
}
