package dev.streamedge.player;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.TcpStates;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A viewer that freezes (its process stopped, or a client that stops reading) is cut about
 * {@code player.max-behind} after it froze, with the node's default socket buffers: what the kernel
 * still holds for it counts in its lag. The stream's other player gets every packet meanwhile.
 */
@Tag("e2e")
@Tag("timing")
class FrozenViewerTest {

  private static final Duration MAX_BEHIND = Duration.ofSeconds(3);
  /** What the cut may come after max-behind: the probe interval, the client's own receive buffer. */
  private static final Duration SLACK = Duration.ofSeconds(3);
  /**
   * The frozen client's receive buffer. Its kernel acknowledges what fits there, delivered as far as any
   * server can tell; left to Linux's autotuning it may grow to several MiB, seconds of this stream that
   * would blur the server's figure. 64 KiB is about half a second of it.
   */
  private static final int CLIENT_RECEIVE_BUFFER = 64 * 1024;
  /**
   * Long enough that the wait for the cut ends while the stream still plays: a cut that never comes
   * shows as the whole wait, past the slack, not as the publisher's end.
   */
  private static final int MEDIA_SECONDS = 12;
  private static final Duration PLAYED_BEFORE_FREEZE = Duration.ofSeconds(2);
  private static final Duration WAIT_FOR_CUT = Duration.ofSeconds(MEDIA_SECONDS - 4);

  @Test
  void rtmpPlayerWhoseProcessIsStoppedIsCutAtMaxBehindWhileAnotherPlaysOn() throws Exception {
    Path media = TestMedia.audioVideo(MEDIA_SECONDS, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = start()) {
      Path out = Clients.output("frozen-good-player.framemd5");
      Process good = Clients.playToHashes("frozen-good-player", node.rtmpUrl("frozen"), out);
      Process frozen = Ffmpeg.start("frozen-player", List.of("-recv_buffer_size", String.valueOf(CLIENT_RECEIVE_BUFFER),
          "-i", node.rtmpUrl("frozen"), "-c", "copy", "-f", "null", "-"));
      try {
        node.awaitSubscribers("frozen", 2);
        Process publisher = Clients.publish("frozen-publisher", media, node.rtmpUrl("frozen"));
        node.awaitPublisher("frozen");
        Thread.sleep(PLAYED_BEFORE_FREEZE.toMillis());

        int frozenPort = TcpStates.localPortOf(frozen.pid(), node.rtmpPort()).orElseThrow();
        signal("-STOP", frozen);
        long cutAfterMillis = millisUntilSubscribers(node, "frozen", 1);
        System.out.println("frozen RTMP player cut " + cutAfterMillis + " ms after kill -STOP, max-behind "
            + MAX_BEHIND.toMillis() + " ms");
        assertThat(cutAfterMillis).as("ms from the freeze to the cut").isBetween(
            MAX_BEHIND.toMillis() - 500, MAX_BEHIND.plus(SLACK).toMillis());
        // Its socket too, though what was written to it never goes out: at most max-behind after the cut.
        awaitServerClosed(node.rtmpPort(), frozenPort, MAX_BEHIND.plus(SLACK));

        Ffmpeg.awaitSuccess("frozen-publisher", publisher, 60);
        Ffmpeg.awaitSuccess("frozen-good-player", good, 20);
        FrameHashes received = FrameHashes.parse(out);
        assertThat(received.video()).isEqualTo(published.video());
        assertThat(received.audio()).isEqualTo(published.audio());
      } finally {
        frozen.destroyForcibly();
        good.destroyForcibly();
      }
    }
  }

  @Test
  void rtmpPlayerFrozenWithMoreUnsentThanTheKernelTakesHasItsSocketClosedMaxBehindAfterTheCut() throws Exception {
    // Small socket buffers: what waits for the frozen client fills the kernel's, and the rest stays in the
    // server's, which a graceful close would wait to write for ever.
    try (TestNode node = TestNode.start("--hls.on-demand-apps=*", "--player.max-behind=" + MAX_BEHIND.toSeconds() + "s",
        "--player.socket-send-buffer=16KiB", "--player.socket-write-buffer=16KiB")) {
      Process publisher = Clients.publishLooping("frozen-full-publisher", TestMedia.audioVideo(6, 1),
          node.rtmpUrl("frozenfull"));
      Process frozen = Ffmpeg.start("frozen-full-player", List.of("-recv_buffer_size", "4096",
          "-i", node.rtmpUrl("frozenfull"), "-c", "copy", "-f", "null", "-"));
      try {
        node.awaitPublisher("frozenfull");
        node.awaitSubscribers("frozenfull", 1);
        int frozenPort = TcpStates.localPortOf(frozen.pid(), node.rtmpPort()).orElseThrow();
        signal("-STOP", frozen);
        long cutAfterMillis = millisUntilSubscribers(node, "frozenfull", 0);
        assertThat(cutAfterMillis).as("ms from the freeze to the cut").isLessThan(WAIT_FOR_CUT.toMillis());
        awaitServerClosed(node.rtmpPort(), frozenPort, MAX_BEHIND.plus(SLACK));
      } finally {
        frozen.destroyForcibly();
        publisher.destroyForcibly();
      }
    }
  }

  @Test
  void httpFlvClientThatStopsReadingIsCutAtMaxBehindWhileAnotherPlaysOn() throws Exception {
    Path media = TestMedia.audioVideo(MEDIA_SECONDS, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = start()) {
      Path out = Clients.output("frozen-flv-good-player.framemd5");
      Process good = Clients.playToHashes("frozen-flv-good-player", node.rtmpUrl("frozenflv"), out);
      try {
        node.awaitSubscribers("frozenflv", 1);
        Process publisher = Clients.publish("frozen-flv-publisher", media, node.rtmpUrl("frozenflv"));
        node.awaitPublisher("frozenflv");
        try (Socket stalled = new Socket()) {
          stalled.setReceiveBufferSize(CLIENT_RECEIVE_BUFFER);
          stalled.connect(new InetSocketAddress("127.0.0.1", node.node().httpPort()), 5000);
          stalled.getOutputStream().write(("GET /live/frozenflv.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          node.awaitSubscribers("frozenflv", 2);
          long read = readFor(stalled, PLAYED_BEFORE_FREEZE);
          assertThat(read).as("bytes the HTTP-FLV client read before it stopped").isGreaterThan(100_000);

          long cutAfterMillis = millisUntilSubscribers(node, "frozenflv", 1);
          System.out.println("HTTP-FLV client that stopped reading cut " + cutAfterMillis
              + " ms after its last read, max-behind " + MAX_BEHIND.toMillis() + " ms");
          assertThat(cutAfterMillis).as("ms from the last read to the cut").isBetween(
              MAX_BEHIND.toMillis() - 500, MAX_BEHIND.plus(SLACK).toMillis());
          // Its socket with it, at once.
          awaitServerClosed(node.node().httpPort(), stalled.getLocalPort(), SLACK);
        }
        Ffmpeg.awaitSuccess("frozen-flv-publisher", publisher, 60);
        Ffmpeg.awaitSuccess("frozen-flv-good-player", good, 20);
        FrameHashes received = FrameHashes.parse(out);
        assertThat(received.video()).isEqualTo(published.video());
        assertThat(received.audio()).isEqualTo(published.audio());
      } finally {
        good.destroyForcibly();
      }
    }
  }

  /** The node's default socket buffers; HLS on demand, so the stream's subscribers are its players. */
  private static TestNode start() throws Exception {
    return TestNode.start("--hls.on-demand-apps=*", "--player.max-behind=" + MAX_BEHIND.toSeconds() + "s");
  }

  /** Milliseconds until {@code key} has {@code count} subscribers, or the whole wait when it never does. */
  private static long millisUntilSubscribers(TestNode node, String key, int count) throws Exception {
    long from = System.nanoTime();
    long deadline = from + WAIT_FOR_CUT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean reached = node.node().registry().info(new StreamKey("live", key))
          .toCompletionStage().toCompletableFuture().get()
          .map(info -> info.subscribers() == count).orElse(false);
      if (reached) {
        break;
      }
      Thread.sleep(20);
    }
    return (System.nanoTime() - from) / 1_000_000;
  }

  /** Until the server's side of the connection from {@code clientPort} is no longer established. */
  private static void awaitServerClosed(int serverPort, int clientPort, Duration within) throws Exception {
    Await.until("the server's close of the frozen viewer's socket", within,
        () -> !TcpStates.of(serverPort, clientPort).equals(Optional.of(TcpStates.ESTABLISHED)));
  }

  /** Reads what the socket gets for {@code duration}, as a player keeping up with live; returns the bytes. */
  private static long readFor(Socket socket, Duration duration) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    long end = System.nanoTime() + duration.toNanos();
    long left;
    while ((left = (end - System.nanoTime()) / 1_000_000) > 0) {
      socket.setSoTimeout((int) left);
      try {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        total += n;
      } catch (SocketTimeoutException e) {
        break;
      }
    }
    return total;
  }

  /** {@code kill -STOP}: the process keeps its sockets open and reads nothing, as a hung player does. */
  private static void signal(String signal, Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill " + signal + " " + process.pid() + " failed");
    }
  }
}
