package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.streamedge.media.MediaKind;
import dev.streamedge.rtsp.client.RtspClientLimits;
import dev.streamedge.rtsp.client.RtspPlayClient;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Gstreamer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RTSP over TLS ({@code rtsps://}, {@code rtsp.tls.*}): ffmpeg 8 publishes over RTSPS and another ffmpeg 8 that
 * asked first plays it over RTSPS, decoding every picture of the file; GStreamer's rtspsrc plays over RTSPS; the
 * node's own RTSP client, trusting the test certificate and checking its name, plays it too, and one that trusts
 * only the JVM's authorities is refused at the handshake.
 */
@Tag("e2e")
class RtspsTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension(rtspsOptions());
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  private static String[] rtspsOptions() {
    try {
      return TestNode.rtspsOptions();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void ffmpegPublishesOverRtspsAndAnFfmpegPlayerOverRtspsDecodesEveryPicture() throws Exception {
    Path media = TestMedia.audioVideo(6, 2);
    List<String> pictures = FrameHashes.decodedPictures("rtsps-source", media.toString());
    Path video = Clients.output("rtsps-player.framemd5");
    // The player asks first: its DESCRIBE waits (rtsp.describe-timeout) for the publisher, whose first GOP it gets.
    Process player = processes.own(Ffmpeg.start("rtsps-player", List.of("-i", node.rtspsUrl("live", "secure"),
        "-map", "0:v", "-f", "framemd5", "-y", video.toString())));
    node.awaitSubscribers("secure", 1); // its DESCRIBE's probe of the stream's tracks
    Process publisher = processes.own(Ffmpeg.start("rtsps-publisher", List.of("-re", "-i", media.toString(),
        "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", node.rtspsUrl("live", "secure"))));
    Ffmpeg.awaitSuccess("rtsps-publisher", publisher, 30);
    Ffmpeg.awaitSuccess("rtsps-player", player, 20);
    assertThat(FrameHashes.parse(video).video()).as("decoded pictures").isEqualTo(pictures);
  }

  @Test
  void gstreamerAndTheNodesOwnClientPlayOverRtsps() throws Exception {
    processes.own(Clients.publishLooping("rtsps-looping", TestMedia.audioVideo(4, 1), node.rtmpUrl("loop")));
    node.awaitPublisher("loop");
    processes.own(Gstreamer.playRtsps("rtsps-gst", node.rtspsUrl("live", "loop")));
    Await.until("GStreamer's rtspsrc shows 50 frames", Duration.ofSeconds(20),
        () -> Gstreamer.rendered("rtsps-gst")[0] >= 50);

    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger video = new AtomicInteger();
      NetClientOptions trusting = new NetClientOptions()
          .setTrustOptions(new PemTrustOptions().addCertPath("src/test/resources/tls/cert.pem"));
      RtspPlayClient client = play(vertx, trusting, video).get(10, TimeUnit.SECONDS);
      Await.until("video over RTSPS to the node's client", Duration.ofSeconds(10), () -> video.get() > 25);
      vertx.runOnContext(v -> client.close());
      AtomicInteger none = new AtomicInteger();
      Throwable refused = assertThrows(ExecutionException.class,
          () -> play(vertx, new NetClientOptions(), none).get(10, TimeUnit.SECONDS)).getCause();
      System.out.printf("RTSPS: rtspsrc showed %d frames, the node's client got %d video bodies; untrusted: %s%n",
          Gstreamer.rendered("rtsps-gst")[0], video.get(), refused);
      assertThat(none.get()).isZero();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static CompletableFuture<RtspPlayClient> play(Vertx vertx, NetClientOptions options,
      AtomicInteger video) {
    Promise<RtspPlayClient> playing = Promise.promise();
    vertx.runOnContext(v -> RtspPlayClient.play(vertx, options, RtspSourceUrl.parse(node.rtspsUrl("live", "loop")),
        new RtspClientLimits(16 * 1024, 1 << 20, 5000), new RtspPlayClient.Listener() {
          @Override
          public void media(MediaKind kind, long timestampMs, ByteBuf body) {
            if (kind == MediaKind.VIDEO) {
              video.incrementAndGet();
            }
          }

          @Override
          public void closed(String reason) {
          }
        }).onComplete(playing));
    return playing.future().toCompletionStage().toCompletableFuture();
  }
}
