package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.chunk.ChunkEncoder;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.FlvViewer.VideoTag;
import dev.streamedge.testing.FlvViewer;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A publisher that sends huge or endless {@code onMetaData} (issue 23, finding 4) must not slow the
 * players of other streams or the health checks: script data beyond {@code rtmp.max-metadata-size} or
 * {@code rtmp.max-metadata-per-second} is dropped and counted, not fanned out.
 */
@Tag("e2e")
@Tag("timing")
class MetadataFloodTest {

  private static final int FLOOD_VIEWERS = 30;
  private static final int CALM_VIEWERS = 3;
  private static final Duration QUIET = Duration.ofSeconds(4);
  private static final Duration FLOOD = Duration.ofSeconds(6);
  private static final int FPS = 25;

  @Test
  void oversizedMetadataReachesNoViewerAndViewersOfAnotherStreamKeepTheirLatency() throws Exception {
    // A node of its own, so that what is measured is the node, not the clients' garbage in a shared JVM.
    try (NodeProcess node = NodeProcess.single("metadata-flood")) {
      node.awaitLog("listening: ", Duration.ofSeconds(60));
      Process calm = Clients.publishLooping("flood-calm", TestMedia.audioVideo(4, 1), node.rtmpUrl("calm"));
      List<FlvViewer> viewers = new ArrayList<>();
      try {
        node.awaitLog("publish \\S+ stream=live/calm", Duration.ofSeconds(30));
        List<FlvViewer> calmViewers = new ArrayList<>();
        for (int i = 0; i < CALM_VIEWERS; i++) {
          calmViewers.add(FlvViewer.open(node.httpUrl("/live/calm.flv")));
        }
        viewers.addAll(calmViewers);
        Await.until("calm viewers' frames", Duration.ofSeconds(20),
            () -> calmViewers.stream().allMatch(v -> v.video().size() > FPS));
        RawRtmp flooder = RawRtmp.publishing(node.rtmpPort(), "flood");
        List<FlvViewer> floodViewers = new ArrayList<>();
        for (int i = 0; i < FLOOD_VIEWERS; i++) {
          floodViewers.add(FlvViewer.open(node.httpUrl("/live/flood.flv")));
        }
        viewers.addAll(floodViewers);
        awaitFlvViewers(node, "flood", FLOOD_VIEWERS);

        // 4 MiB of metadata twice a second, as the probe sent, while the health check is timed. Encoded
        // once: self-contained chunks, the same bytes each time.
        byte[] filler = new byte[4 << 20];
        Arrays.fill(filler, (byte) 'x');
        byte[] metadata = ByteBufUtil.getBytes(ChunkEncoder.encodeStandalone(
            metadataMessage(0, new String(filler, StandardCharsets.US_ASCII), 0), 1 << 20));
        Window quiet = measure(QUIET, node, flooder, null);
        Window flood = measure(FLOOD, node, flooder, metadata);
        Thread.sleep(500);

        long floodBytes = floodViewers.stream().mapToLong(FlvViewer::bytes).sum();
        int floodScriptTags = floodViewers.stream().mapToInt(FlvViewer::scriptTags).sum();
        long quietLag = percentile(lagsMillis(calmViewers, quiet), 0.99);
        long floodLag = percentile(lagsMillis(calmViewers, flood), 0.99);
        long quietHealth = percentile(quiet.healthMillis(), 0.99);
        long floodHealth = percentile(flood.healthMillis(), 0.99);
        int calmFrames = framesIn(calmViewers, flood);
        double seconds = flood.seconds();
        System.out.printf("metadata flood: %d x 4 MiB sent in %.1f s; %d flood viewers got %.1f MB in %d script"
                + " tags; calm viewers: %d frames of %d expected, lag p99 %d ms (%d ms before the flood);"
                + " health p99 %d ms (%d ms before)%n",
            flood.sent(), seconds, FLOOD_VIEWERS, floodBytes / 1e6, floodScriptTags, calmFrames,
            Math.round(CALM_VIEWERS * seconds * FPS), floodLag, quietLag, floodHealth, quietHealth);

        assertThat(floodScriptTags).as("oversized metadata fanned out").isZero();
        assertThat(floodBytes).as("bytes the flood's viewers got").isLessThan(FLOOD_VIEWERS * 1024L);
        assertThat(calmFrames).as("calm viewers' frames").isGreaterThan((int) (0.9 * CALM_VIEWERS * seconds * FPS));
        // Relative to the same node just before, on a machine other work shares.
        assertThat(floodLag).as("calm viewers' lag p99 during the flood, ms").isLessThan(quietLag + 250);
        assertThat(floodHealth).as("health check p99 during the flood, ms").isLessThan(quietHealth + 250);
        assertThat(Prometheus.scrape(node.httpUrl("/metrics")).value("streamedge_publisher_data_dropped_total",
            "protocol", "rtmp")).as("dropped script data counted").isEqualTo(flood.sent());
        flooder.close();
      } finally {
        calm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (FlvViewer viewer : viewers) {
          viewer.close();
        }
      }
    }
  }

  /** A measured stretch of time: the health checks' times, and how many metadata messages went out. */
  private record Window(long start, long stop, List<Long> healthMillis, int sent) {
    double seconds() {
      return (stop - start) / 1e9;
    }

    boolean holds(VideoTag tag) {
      return tag.arrivalNanos() >= start && tag.arrivalNanos() <= stop;
    }
  }

  /** Times the health check every 50 ms for {@code length}, sending {@code metadata} twice a second if set. */
  private static Window measure(Duration length, NodeProcess node, RawRtmp flooder, byte[] metadata)
      throws Exception {
    List<Long> healthMillis = new ArrayList<>();
    long start = System.nanoTime();
    long nextMetadata = start;
    int sent = 0;
    while (System.nanoTime() - start < length.toNanos()) {
      if (metadata != null && System.nanoTime() >= nextMetadata) {
        flooder.write(metadata);
        sent++;
        nextMetadata += 500_000_000L;
      }
      healthMillis.add(timeHealth(node));
      flooder.pump(Duration.ofMillis(1));
      Thread.sleep(50);
    }
    return new Window(start, System.nanoTime(), healthMillis, sent);
  }

  private static int framesIn(List<FlvViewer> viewers, Window window) {
    return viewers.stream().mapToInt(v -> (int) v.video().stream().filter(window::holds).count()).sum();
  }

  private static List<Long> lagsMillis(List<FlvViewer> viewers, Window window) {
    List<Long> lags = new ArrayList<>();
    for (FlvViewer viewer : viewers) {
      lags.addAll(relativeLagMillis(viewer.video(), viewer.video().stream().filter(window::holds).toList()));
    }
    return lags;
  }

  @Test
  void metadataBeyondTheRateIsDroppedAndWhatPassesReachesTheViewer() throws Exception {
    int perSecond = 5;
    try (TestNode node = TestNode.start("--rtmp.max-metadata-per-second=" + perSecond);
        RawRtmp flooder = RawRtmp.publishing(node.rtmpPort(), "chatty")) {
      FlvViewer viewer = FlvViewer.open(node.httpUrl("/live/chatty.flv"));
      try {
        awaitFlvViewers(node, "chatty", 1);
        String text = "y".repeat(8 * 1024);
        long start = System.nanoTime();
        int sent = 0;
        while (System.nanoTime() - start < Duration.ofSeconds(4).toNanos()) {
          // Each one differs: a repeat of the last is left out before it counts against the rate.
          sendMetadata(flooder, sent * 20L, text, sent);
          sent++;
          flooder.pump(Duration.ofMillis(1));
          Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int bound = (int) Math.ceil(seconds + 1) * perSecond;
        Await.until("metadata at the viewer", Duration.ofSeconds(5), () -> viewer.scriptTags() >= perSecond);
        Thread.sleep(500);
        System.out.printf("metadata rate: %d sent in %.1f s, %d reached the viewer (bound %d)%n",
            sent, seconds, viewer.scriptTags(), bound);
        assertThat(viewer.scriptTags()).as("metadata the viewer got").isBetween(perSecond, bound);
        // What passes is onMetaData as sent, without the @setDataFrame the publisher put before it.
        List<Object> first = Amf0.decodeAll(Unpooled.wrappedBuffer(viewer.firstScript()));
        assertThat(first).hasSize(2).first().isEqualTo("onMetaData");
        Map<?, ?> properties = (Map<?, ?>) first.get(1);
        assertThat(properties.get("width")).isEqualTo(640.0);
        assertThat(properties.get("filler")).isEqualTo(text);
        double dropped = node.scrape().value("streamedge_publisher_data_dropped_total", "protocol", "rtmp");
        assertThat(dropped).as("dropped and counted").isEqualTo(sent - viewer.scriptTags());
      } finally {
        viewer.close();
      }
    }
  }

  /** Waits for {@code count} HTTP-FLV viewers of {@code key}: the HLS packager subscribes too. */
  static void awaitFlvViewers(TestNode node, String key, int count) throws Exception {
    Await.until(count + " HTTP-FLV viewers of " + key, Duration.ofSeconds(20), () -> node.node().registry()
        .info(new StreamKey("live", key)).toCompletionStage().toCompletableFuture().get()
        .map(info -> info.viewers().getOrDefault("http-flv", 0) == count).orElse(false));
  }

  /** As above, for a node in its own process: its API counts the viewers. */
  private static void awaitFlvViewers(NodeProcess node, String key, int count) throws Exception {
    String stream = node.httpUrl("/api/v1/streams/live/" + key);
    Await.until(count + " HTTP-FLV viewers of " + key, Duration.ofSeconds(20), () -> {
      HttpResponse<String> response = Http.get(stream);
      return response.statusCode() == 200
          && new JsonObject(response.body()).getJsonObject("viewers").getInteger("http-flv") == count;
    });
  }

  /** {@code @setDataFrame onMetaData {width, height, filler}}, as OBS and ffmpeg send it, on stream 1. */
  private static void sendMetadata(RawRtmp client, long timestamp, String filler, int update) throws Exception {
    client.send(metadataMessage(timestamp, filler, update));
  }

  static RtmpMessage metadataMessage(long timestamp, String filler, int update) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("width", 640.0);
    properties.put("height", 360.0);
    properties.put("filler", filler);
    properties.put("update", (double) update);
    return new RtmpMessage(4, MessageType.DATA_AMF0, 1, timestamp,
        Amf0.encodeAll("@setDataFrame", "onMetaData", properties));
  }

  private static long timeHealth(NodeProcess node) {
    long start = System.nanoTime();
    try {
      Http.send(Http.request(node.httpUrl("/health/live")).timeout(Duration.ofSeconds(10)),
          HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      return 10_000;
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * How much later than its best frame each frame of {@code during} arrived, in ms: arrival minus FLV
   * timestamp, less the smallest such difference of the whole viewing.
   */
  private static List<Long> relativeLagMillis(List<VideoTag> all, List<VideoTag> during) {
    long best = all.stream().mapToLong(t -> t.arrivalNanos() / 1_000_000 - t.timestamp()).min().orElse(0);
    return during.stream().map(t -> t.arrivalNanos() / 1_000_000 - t.timestamp() - best).toList();
  }

  private static long percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
