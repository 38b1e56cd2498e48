package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ladder through an edge: the origin transcodes, the edge serves the master playlist from the ladder
 * the origin shares, and pulls over the event bus only the rendition its viewer plays: the edge's API
 * lists that one stream alone, and the bytes the origin's event bus writes in a window are those of that
 * rendition, well under those of the source or of the ladder.
 */
@Tag("cluster")
@Tag("solo")
class LadderThroughAnEdgeTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(20);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theEdgeServesTheMasterPlaylistAndPullsOnlyTheWatchedRendition() throws Exception {
    List<Integer> ports = NodeProcess.memberPorts(2);
    String[] ladder = {"--transcode.apps=live", "--transcode.ladder=180p=240x180@300k,120p=160x120@150k",
        "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG, "--hls.target-duration=1s"};
    NodeProcess origin = processes.own(NodeProcess.cluster("abr-origin", ports.get(0), ports,
        concat(ladder, "--cluster.role=origin")));
    NodeProcess edge = processes.own(NodeProcess.cluster("abr-edge", ports.get(1), ports,
        concat(ladder, "--cluster.role=edge")));
    origin.awaitCluster(2, JOIN);
    edge.awaitCluster(2, JOIN);
    processes.own(Clients.publishLooping("abr-edge-publisher", TestMedia.oddGop(16), origin.rtmpUrl("ed")));

    // The origin's ladder first: a seed URL asked on the edge before the origin has shared it serves the
    // source's media playlist, as for any stream without a ladder, and that pulls the source.
    Await.until("the master playlist of three measured variants on the origin", EVENT, () -> {
      Thread.sleep(200);
      return Http.get(origin.httpUrl("/hls/ed.m3u8")).body().split("AVERAGE-BANDWIDTH", -1).length == 4;
    });
    // The origin writes its ladders to the cluster's map every LadderShare.PERIOD_MILLIS.
    Thread.sleep(LadderShare.PERIOD_MILLIS + 500);
    String master = edge.httpUrl("/hls/ed.m3u8");
    String text = Http.get(master).body();
    System.out.println("master playlist on the edge:\n" + text);
    assertThat(text).contains("RESOLUTION=240x180", "RESOLUTION=160x120", "\nlive/ed/ll.m3u8\n",
        "\nlive/ed_120p/ll.m3u8\n");
    assertThat(Prometheus.scrape(edge.httpUrl("/metrics")).value("streamedge_edge_pulls"))
        .as("pulls of an edge that served only the master playlist").isZero();

    String rendition = edge.httpUrl("/hls/live/ed_120p/ll.m3u8");
    Await.until("the 120p rendition's playlist on the edge", EVENT, () -> Http.get(rendition).body()
        .contains("#EXTINF:"));
    assertThat(Prometheus.scrape(edge.httpUrl("/metrics")).value("streamedge_edge_pulls")).isEqualTo(1);
    assertThat(liveStreams(edge)).containsExactly("ed_120p");
    assertThat(liveStreams(origin)).containsExactlyInAnyOrder("ed", "ed_180p", "ed_120p");

    // The measurement window, while the edge's packager pulls the one rendition.
    double before = eventBusBytes(origin);
    long window = 4000;
    Thread.sleep(window);
    Http.get(rendition);
    double sentPerSecond = (eventBusBytes(origin) - before) * 1000 / window;
    JsonObject streams = new JsonObject(Http.get(origin.httpUrl("/api/v1/streams")).body());
    double source = bytesPerSecond(streams, "ed");
    double watched = bytesPerSecond(streams, "ed_120p");
    double other = bytesPerSecond(streams, "ed_180p");
    System.out.printf("origin event bus %.0f B/s while the edge pulls ed_120p (%.0f B/s); ed %.0f B/s, ed_180p %.0f B/s%n",
        sentPerSecond, watched, source, other);
    // One rendition and the cluster's chatter: less than that rendition with most of the other one (were
    // both pulled), and less than the source alone.
    assertThat(sentPerSecond).as("what the origin's event bus writes").isGreaterThan(0.5 * watched)
        .isLessThan(watched + 0.75 * other).isLessThan(source);
  }

  private static Set<String> liveStreams(NodeProcess node) throws Exception {
    return new JsonObject(Http.get(node.httpUrl("/api/v1/streams")).body()).getJsonArray("streams").stream()
        .map(JsonObject.class::cast).filter(s -> s.getBoolean("live")).map(s -> s.getString("key"))
        .collect(Collectors.toSet());
  }

  private static double bytesPerSecond(JsonObject streams, String key) {
    return streams.getJsonArray("streams").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("key").equals(key)).findFirst().orElseThrow().getLong("bitrate") / 8.0;
  }

  private static double eventBusBytes(NodeProcess node) throws Exception {
    return Prometheus.scrape(node.httpUrl("/metrics")).value("vertx_eventbus_bytes_written_sum");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
