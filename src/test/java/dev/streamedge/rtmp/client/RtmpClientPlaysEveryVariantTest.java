package dev.streamedge.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our RTMP client plays over every variant its URL's scheme names: rtmp, rtmps and rtmpe on sockets,
 * rtmpt, rtmpts (the test certificate, checked) and rtmpte through the HTTP tunnel. Six players of one
 * stream that ffmpeg 8 publishes over plain RTMP each save what they get as FLV, and ffmpeg's framemd5
 * of it equals the published file's, packet for packet; the node counts each player under its variant.
 */
@Tag("e2e")
class RtmpClientPlaysEveryVariantTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension(Stream.concat(Stream.of(TestNode.rtmpsOptions()),
      Stream.of(TestNode.httpsOptions())).toArray(String[]::new));
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void playersOverEachVariantGetWhatFfmpegPublished() throws Exception {
    Path media = TestMedia.audioVideo(3, 1);
    String key = "variants";
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("rtmp", node.rtmpUrl(key));
    urls.put("rtmps", node.rtmpsUrl(key));
    urls.put("rtmpe", node.rtmpeUrl(key));
    urls.put("rtmpt", node.rtmptUrl(key));
    urls.put("rtmpts", node.rtmptsUrl(key));
    urls.put("rtmpte", node.rtmpteUrl(key));
    Map<String, RecordingPlayer> players = new LinkedHashMap<>();
    for (Map.Entry<String, String> url : urls.entrySet()) {
      players.put(url.getKey(), RecordingPlayer.playUrl(vertx, url.getValue()));
    }
    node.awaitSubscribers(key, urls.size());
    Prometheus during = node.scrape();
    for (String variant : urls.keySet()) {
      assertThat(during.value("streamedge_players", "protocol", variant)).as("players counted as " + variant)
          .isEqualTo(1.0);
    }

    Ffmpeg.awaitSuccess("variants-publisher", processes.own(Clients.publish("variants-publisher", media,
        node.rtmpUrl(key))), 30);
    Map<String, Path> hashes = new LinkedHashMap<>();
    Map<String, Process> hashing = new LinkedHashMap<>();
    for (Map.Entry<String, RecordingPlayer> entry : players.entrySet()) {
      String variant = entry.getKey();
      RecordingPlayer player = entry.getValue();
      Await.until(variant + " player told of the unpublish", Duration.ofSeconds(10),
          () -> player.statuses.contains("NetStream.Play.UnpublishNotify"));
      assertThat(player.closedReason).as(variant + " player's connection").isNull();
      Path flv = Clients.output("client-" + variant + ".flv");
      player.writeFlv(flv);
      player.client().close();
      hashes.put(variant, Clients.output("client-" + variant + ".framemd5"));
      // The six ffmpeg runs side by side: one after the other they would take most of the test's time.
      hashing.put(variant, processes.own(Ffmpeg.start("client-" + variant + "-framemd5", List.of("-i", flv.toString(),
          "-map", "0", "-c", "copy", "-f", "framemd5", "-y", hashes.get(variant).toString()))));
    }
    FrameHashes published = FrameHashes.ofFile(media);
    for (String variant : urls.keySet()) {
      Ffmpeg.awaitSuccess("client-" + variant + "-framemd5", hashing.get(variant), 30);
      FrameHashes received = FrameHashes.parse(hashes.get(variant));
      assertThat(received.video()).as(variant + ": video packets").isEqualTo(published.video());
      assertThat(received.audio()).as(variant + ": audio packets").isEqualTo(published.audio());
    }
  }
}
