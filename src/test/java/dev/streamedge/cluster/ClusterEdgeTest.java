package dev.streamedge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.ClusterNode;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in three JVMs on loopback. A stream published on node 1 is played on nodes 2 and 3, which
 * pull it over the clustered event bus, over RTMP, HTTP-FLV and HLS alike.
 */
class ClusterEdgeTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern SEGMENT = Pattern.compile("#EXTINF:[0-9.]+,\\s*\\n([^\\n]+)");

  private static final List<ClusterNode> NODES = new ArrayList<>();
  private static ClusterNode origin;
  private static ClusterNode edge2;
  private static ClusterNode edge3;
  private final List<Process> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    List<Integer> ports = ClusterNode.memberPorts(3);
    String[] options = {"--cluster.pull-linger=2s", "--hls.target-duration=1s"};
    origin = ClusterNode.start("edge-node1", ports.get(0), ports, options);
    NODES.add(origin);
    edge2 = ClusterNode.start("edge-node2", ports.get(1), ports, options);
    NODES.add(edge2);
    edge3 = ClusterNode.start("edge-node3", ports.get(2), ports, options);
    NODES.add(edge3);
    String threeMembers = "(cluster joined as node \\S+, 3 members|cluster member joined .*, 3 members)";
    for (ClusterNode node : NODES) {
      node.awaitLog(threeMembers, JOIN);
      node.awaitLog("listening: ", JOIN);
    }
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    for (ClusterNode node : NODES) {
      node.close();
    }
  }

  @AfterEach
  void stopClients() {
    clients.forEach(Process::destroyForcibly);
  }

  @Test
  void rtmpFlvAndHlsViewersOnEdgesGetTheStreamPublishedOnTheOrigin() throws Exception {
    String key = "edge";
    Path media = TestMedia.audioVideo(16, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Process publisher = started(Clients.publish("cluster-edge-publisher", media, origin.rtmpUrl(key)));
    origin.awaitLog("publish \\S+ stream=live/" + key, EVENT);

    // The playlist request on node 3 is what starts node 3's pull; its 200 also shows that node 3
    // knows where the stream lives, so the FLV request below finds it.
    String playlistUrl = edge3.httpUrl("/hls/" + key + ".m3u8");
    Await.until("an HLS playlist on node 3", EVENT, () -> get(playlistUrl).statusCode() == 200);

    Path rtmpHashes = Clients.output("cluster-edge-rtmp.framemd5");
    Process rtmpPlayer = started(Clients.playToHashes("cluster-edge-rtmp-player", edge2.rtmpUrl(key), rtmpHashes));
    Path flvHashes = Clients.output("cluster-edge-flv.framemd5");
    Process flvPlayer = started(Clients.playToHashes("cluster-edge-flv-player",
        edge3.httpUrl("/live/" + key + ".flv"), flvHashes));

    // Each edge shows its one pull, and the relayed stream as live; the origin pulls nothing.
    for (ClusterNode edge : List.of(edge2, edge3)) {
      Await.until("an edge pull in " + edge.name() + "'s metrics", EVENT, () -> {
        Prometheus scrape = Prometheus.scrape(edge.httpUrl("/metrics"));
        return scrape.value("streamedge_edge_pulls") == 1 && scrape.value("streamedge_streams_live") == 1;
      });
    }
    Prometheus originMetrics = Prometheus.scrape(origin.httpUrl("/metrics"));
    assertThat(originMetrics.value("streamedge_edge_pulls")).isZero();
    assertThat(originMetrics.value("streamedge_publishers", "protocol", "rtmp")).isEqualTo(1);
    assertThat(originMetrics.value("streamedge_cluster_members")).isEqualTo(3);

    Map<String, byte[]> segments = new LinkedHashMap<>();
    while (publisher.isAlive()) {
      Matcher m = SEGMENT.matcher(get(playlistUrl).body());
      while (m.find()) {
        String uri = m.group(1).trim();
        if (!segments.containsKey(uri)) {
          HttpResponse<byte[]> segment = HTTP.send(HttpRequest.newBuilder(URI.create(edge3.httpUrl("/hls/" + uri)))
              .build(), HttpResponse.BodyHandlers.ofByteArray());
          assertThat(segment.statusCode()).as(uri).isEqualTo(200);
          segments.put(uri, segment.body());
        }
      }
      Thread.sleep(300);
    }
    Ffmpeg.awaitSuccess("cluster-edge-publisher", publisher, 60);
    Ffmpeg.awaitSuccess("cluster-edge-rtmp-player", rtmpPlayer, 20);
    Ffmpeg.awaitSuccess("cluster-edge-flv-player", flvPlayer, 20);

    assertReceivedToTheEnd("RTMP on node 2", published, FrameHashes.parse(rtmpHashes));
    assertReceivedToTheEnd("HTTP-FLV on node 3", published, FrameHashes.parse(flvHashes));
    assertThat(segments.size()).as("HLS segments packaged on node 3").isGreaterThanOrEqualTo(8);
    int index = 0;
    for (Map.Entry<String, byte[]> segment : segments.entrySet()) {
      Path file = Clients.output("cluster-edge-segment-" + index + ".ts");
      Files.write(file, segment.getValue());
      String name = "cluster-edge-decode-" + index++;
      Ffmpeg.run(name, List.of("-v", "error", "-xerror", "-i", file.toString(), "-f", "null", "-"), 30);
      assertThat(Ffmpeg.logTail(name).strip()).as(segment.getKey() + " decode errors").isEmpty();
    }

    // One pull per edge node, each from the origin; the origin sends to each edge once.
    String originId = Pattern.quote(origin.nodeId());
    assertThat(count(edge2.log(), "pull start stream=live/" + key + " from=" + originId)).isEqualTo(1);
    assertThat(count(edge3.log(), "pull start stream=live/" + key + " from=" + originId)).isEqualTo(1);
    assertThat(count(origin.log(), "link start stream=live/" + key + " ")).isEqualTo(2);
    for (ClusterNode edge : List.of(edge2, edge3)) {
      assertThat(Prometheus.scrape(edge.httpUrl("/metrics")).value("streamedge_edge_pulls_started_total"))
          .as(edge.name()).isEqualTo(1);
    }
  }

  private static void assertReceivedToTheEnd(String what, FrameHashes published, FrameHashes received) {
    int videoStart = FrameHashes.assertContiguous(what + " video", published.video(), received.video());
    int audioStart = FrameHashes.assertContiguous(what + " audio", published.audio(), received.audio());
    assertThat(videoStart + received.video().size()).as(what + ": video through to the last packet")
        .isEqualTo(published.video().size());
    assertThat(audioStart + received.audio().size()).as(what + ": audio through to the last packet")
        .isEqualTo(published.audio().size());
    assertThat(received.video().size()).as(what + ": video packets received").isGreaterThan(200);
  }

  private static long count(String text, String regex) {
    return Pattern.compile(regex).matcher(text).results().count();
  }

  private Process started(Process process) {
    clients.add(process);
    return process;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
