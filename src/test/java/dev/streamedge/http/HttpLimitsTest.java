package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.TestNode;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** http.max-connections holds: the connection past the limit is closed, and a freed slot is reused. */
@Tag("e2e")
class HttpLimitsTest {

  private static Socket connect(int port) throws Exception {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(1500);
    return socket;
  }

  /** A request on an open connection gets an answer (404 here); on a refused one, end of stream. */
  private static boolean answers(Socket socket) throws Exception {
    socket.getOutputStream().write("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    try {
      return in.read() != -1;
    } catch (SocketTimeoutException | java.net.SocketException e) {
      return false;
    }
  }

  @Test
  void connectionsUpToTheLimitAreServedAndTheNextIsClosed() throws Exception {
    // Metrics on a port of their own: the scrapes must not take an HTTP connection of the two allowed.
    try (TestNode node = TestNode.startWithMetricsPort("--http.max-connections=2")) {
      int port = node.node().httpPort();
      try (Socket first = connect(port); Socket second = connect(port)) {
        assertThat(answers(first)).as("first").isTrue();
        assertThat(answers(second)).as("second").isTrue();
        try (Socket third = connect(port)) {
          assertThat(answers(third)).as("third, past the limit").isFalse();
        }
        first.close();
        Await.until("the node to see one connection closed", Duration.ofSeconds(10), () -> node.scrape()
            .value("vertx_http_server_active_connections", "local", "127.0.0.1:" + port) == 1);
        try (Socket again = connect(port)) {
          assertThat(answers(again)).as("a new connection once one closed").isTrue();
        }
      }
    }
  }
}
