package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM on a node with a publisher and players on RTMP and HTTP-FLV, as Kubernetes stops a pod: the
 * node turns not-ready at once, takes no new client, lets its players go informed, asks a publisher
 * that can reconnect to do so, and exits within its drain time.
 */
@Tag("e2e")
@Tag("timing")
class GracefulShutdownTest {

  private static final Duration DRAIN = Duration.ofSeconds(6);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();
  private final Vertx vertx = Vertx.vertx();
  private NodeProcess node;

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void sigtermTurnsReadinessFalseAtOnceInformsEveryClientAndExitsWithinTheDrainTime() throws Exception {
    node = processes.own(NodeProcess.single("shutdown-node", "--shutdown.drain-time=" + DRAIN.toSeconds() + "s"));
    node.awaitLog("listening: ", Duration.ofSeconds(30));
    processes.own(Clients.publishLooping("shutdown-publisher", TestMedia.audioVideo(4, 1), node.rtmpUrl("drain")));
    node.awaitLog("publish \\S+ stream=live/drain", Duration.ofSeconds(10));
    RecordingPlayer player = RecordingPlayer.play(vertx, node.rtmpPort(), "drain");
    AtomicLong flvBytes = new AtomicLong();
    CompletableFuture<Long> flvEnded = readFlv(node.httpUrl("/live/drain.flv"), flvBytes);
    // A publisher that announces Enhanced RTMP's reconnect capability (capsEx bit 0x01).
    RawRtmp reconnecting = RawRtmp.open(node.rtmpPort());
    reconnecting.handshake();
    reconnecting.connect("live", Map.of("capsEx", 1.0));
    int streamId = ((Double) reconnecting.createStream(2.0).get(3)).intValue();
    reconnecting.command(streamId, "publish", 3.0, null, "drain2", "live");
    reconnecting.awaitStatus("NetStream.Publish.Start", Duration.ofSeconds(5));
    Await.until("video on the RTMP player and bytes on the FLV player", Duration.ofSeconds(10),
        () -> player.keyframes() > 0 && flvBytes.get() > 10_000);
    assertThat(status("/health/ready")).isEqualTo(200);

    long terminatedAt = System.nanoTime();
    node.terminate();
    Await.until("readiness to turn false", Duration.ofSeconds(2), () -> status("/health/ready") == 503);
    long notReadyMillis = (System.nanoTime() - terminatedAt) / 1_000_000;
    assertThat(status("/health/live")).as("liveness while draining").isEqualTo(200);
    assertThat(status("/live/drain.flv")).as("a new FLV viewer while draining").isEqualTo(503);
    assertThat(status("/hls/drain.m3u8")).as("a new HLS viewer while draining").isEqualTo(503);
    assertThatThrownBy(() -> RawRtmp.connected(node.rtmpPort())).as("a new RTMP connection while draining")
        .isInstanceOf(java.io.IOException.class);

    Await.until("the RTMP player to be told and let go", Duration.ofSeconds(3),
        () -> player.statuses.contains("NetStream.Play.UnpublishNotify") && player.closedReason != null);
    assertThat(flvEnded.get(3, java.util.concurrent.TimeUnit.SECONDS)).as("FLV bytes before the end").isPositive();
    reconnecting.awaitStatus("NetConnection.Connect.ReconnectRequest", Duration.ofSeconds(3));

    int exit = node.awaitExit(DRAIN.plusSeconds(5));
    long exitedMillis = (System.nanoTime() - terminatedAt) / 1_000_000;
    System.out.println("readiness false after " + notReadyMillis + " ms; exited " + exit + " after " + exitedMillis
        + " ms (drain time " + DRAIN.toMillis() + " ms)");
    assertThat(exit).as("exit status after SIGTERM (128 + 15)").isEqualTo(143);
    assertThat(exitedMillis).as("ms from SIGTERM to exit").isLessThan(DRAIN.toMillis() + 3000);
    // The publishers stayed until the drain time was up: their viewers elsewhere kept the stream.
    assertThat(exitedMillis).as("ms from SIGTERM to exit").isGreaterThanOrEqualTo(DRAIN.toMillis() - 500);
    assertThat(node.log()).contains("shutdown: done").contains("reconnect requested");
    reconnecting.close();
  }

  private int status(String path) throws Exception {
    return Http.status(node.httpUrl(path));
  }

  /** Reads an FLV response until it ends; completes with the bytes read. */
  private static CompletableFuture<Long> readFlv(String url, AtomicLong bytes) {
    return Http.sendAsync(Http.request(url), HttpResponse.BodyHandlers.ofInputStream())
        .thenApplyAsync(response -> {
          try (InputStream in = response.body()) {
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
              bytes.addAndGet(n);
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return bytes.get();
        });
  }
}
