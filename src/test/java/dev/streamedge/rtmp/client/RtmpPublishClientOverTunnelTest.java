package dev.streamedge.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaPacket;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FlvFile;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our publisher through the RTMPT tunnel: {@link RtmpPublishClient} sends an FLV file's tags in real time
 * over rtmpt:// and over rtmpte:// (RTMPE inside the tunnel), and ffmpeg 8 playing over plain RTMP gets
 * them all, framemd5 equal to the file's; the node counts the publisher under its variant. Closing the
 * client sends what it still holds before {@code /close}, so the last packets arrive too.
 */
@Tag("e2e")
class RtmpPublishClientOverTunnelTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension();
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void ffmpegPlaysWhatOurClientPublishesOverRtmpt() throws Exception {
    publishAndCompare("tunnel-pub", node.rtmptUrl("tunnel-pub"), "rtmpt");
  }

  @Test
  void ffmpegPlaysWhatOurClientPublishesOverRtmpte() throws Exception {
    publishAndCompare("tunnel-pub-e", node.rtmpteUrl("tunnel-pub-e"), "rtmpte");
  }

  private void publishAndCompare(String key, String url, String variant) throws Exception {
    Path media = TestMedia.audioVideo(3, 1);
    Path out = Clients.output("client-publisher-" + variant + ".framemd5");
    Process player = processes.own(Clients.playToHashes("client-publisher-" + variant + "-player",
        node.rtmpUrl(key), out));
    node.awaitSubscribers(key, 1);

    List<MediaPacket> packets = FlvFile.read(media);
    Context context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    Promise<Void> sent = Promise.promise();
    context.runOnContext(v -> RtmpPublishClient.publish(vertx, RtmpClientOptions.defaults(), RtmpUrl.parse(url),
        reason -> sent.tryFail("publisher closed: " + reason)).onFailure(started::tryFail).onSuccess(client -> {
          started.complete();
          sendInRealTime(client, packets, sent);
        }));
    started.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(node.scrape().value("streamedge_publishers", "protocol", variant)).as("publishers counted as " + variant)
        .isEqualTo(1.0);
    sent.future().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    Ffmpeg.awaitSuccess("client-publisher-" + variant + "-player", player, 20);
    FrameHashes published = FrameHashes.ofFile(media);
    FrameHashes received = FrameHashes.parse(out);
    assertThat(received.video()).as(variant + ": video packets").isEqualTo(published.video());
    assertThat(received.audio()).as(variant + ": audio packets").isEqualTo(published.audio());
    assertThat(node.scrape().value("streamedge_received_bytes_total", "protocol", variant)).as("bytes in, " + variant)
        .isGreaterThan(150_000);
  }

  /** Sends each packet once its timestamp is due, as {@code ffmpeg -re} does; then closes the client. */
  private void sendInRealTime(RtmpPublishClient client, List<MediaPacket> packets, Promise<Void> sent) {
    long start = System.nanoTime();
    int[] next = {0};
    vertx.setPeriodic(10, timer -> {
      long due = (System.nanoTime() - start) / 1_000_000;
      while (next[0] < packets.size() && packets.get(next[0]).timestamp() <= due) {
        MediaPacket packet = packets.get(next[0]++);
        switch (packet.kind()) {
          case DATA -> client.sendMetadata(packet.timestamp(), packet.body());
          case AUDIO -> client.sendAudio(packet.timestamp(), packet.body());
          case VIDEO -> client.sendVideo(packet.timestamp(), packet.body());
        }
      }
      if (next[0] == packets.size()) {
        vertx.cancelTimer(timer);
        client.close().onComplete(sent);
      }
    });
  }
}
