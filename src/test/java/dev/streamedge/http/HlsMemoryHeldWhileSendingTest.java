package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A segment's memory is freed when it leaves the window, but not under a response still sending it: a
 * reader too slow to take a 5 Mbit/s segment before the window moves on still gets every byte of it,
 * and the next request for it is a 404.
 */
@Tag("e2e")
class HlsMemoryHeldWhileSendingTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern SEGMENT = Pattern.compile("(?m)^([^#\\s]\\S*\\.m4s)$");
  private static final Pattern LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aSegmentThatLeavesTheWindowWhileASlowReaderFetchesItArrivesWholeAndIsGoneAfter() throws Exception {
    // The smallest kernel send buffer, so that most of the segment waits in the server while the reader dawdles.
    try (TestNode node = TestNode.start("--hls.target-duration=1s", "--hls.playlist-length=2",
        "--hls.kept-segments=0", "--player.socket-send-buffer=16KiB")) {
      processes.own(Clients.publish("held-publisher", TestMedia.fiveMegabit(20), node.rtmpUrl("held")));
      node.awaitPublisher("held");
      String playlistUrl = node.httpUrl("/hls/live/held/fmp4.m3u8");
      AtomicReference<String> newest = new AtomicReference<>();
      Await.until("a segment in the fMP4 playlist", WAIT, () -> {
        var playlist = Http.get(playlistUrl);
        Matcher m = SEGMENT.matcher(playlist.statusCode() == 200 ? playlist.body() : "");
        while (m.find()) {
          newest.set(m.group(1));
        }
        return newest.get() != null;
      });
      String path = "/hls/live/held/" + newest.get();
      byte[] whole = Http.getBytes(node.httpUrl(path)).body();
      assertThat(whole.length).as("a segment larger than the socket buffers hold").isGreaterThan(300_000);

      try (Socket slow = new Socket()) {
        slow.setReceiveBufferSize(4096);
        slow.connect(new InetSocketAddress("127.0.0.1", node.httpPort()));
        slow.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        InputStream in = slow.getInputStream();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200");
        Matcher length = LENGTH.matcher(head);
        assertThat(length.find()).as("a Content-Length in " + head).isTrue();

        // Two segments later the window (two listed, none kept) has let go of it.
        Await.until("the segment to leave the window", WAIT, () -> Http.status(node.httpUrl(path)) == 404);

        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        assertThat(body).as("the slow reader's copy").isEqualTo(whole);
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed in the head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
