package dev.streamedge.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.DashboardBrowser;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.TestMedia;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's cluster view, in Chromium, on an edge of an origin/edge cluster of two node JVMs: both
 * nodes with their roles, the origin publishing the stream, the edge pulling it for its viewer.
 */
@Tag("cluster")
class DashboardClusterTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theEdgesDashboardShowsEachNodeWithItsRoleWhatTheOriginPublishesAndWhatTheEdgePulls() throws Exception {
    List<Integer> ports = NodeProcess.memberPorts(2);
    NodeProcess origin = processes.own(NodeProcess.cluster("dash-origin", ports.get(0), ports, "--cluster.role=origin"));
    NodeProcess edge = processes.own(NodeProcess.cluster("dash-edge", ports.get(1), ports, "--cluster.role=edge"));
    origin.awaitCluster(2, Duration.ofSeconds(60));
    edge.awaitCluster(2, Duration.ofSeconds(60));
    processes.own(Clients.publishLooping("dash-cluster-publisher", TestMedia.audioVideo(20, 1), origin.rtmpUrl("far")));
    Await.until("live/far in the edge's stream directory", Duration.ofSeconds(30),
        () -> Http.get(edge.httpUrl("/api/v1/streams")).body().contains("\"key\":\"far\""));
    processes.own(Ffmpeg.start("dash-cluster-viewer",
        List.of("-i", edge.httpUrl("/live/far.flv"), "-c", "copy", "-f", "null", "-")));

    try (DashboardBrowser page = DashboardBrowser.start("dashboard-cluster")) {
      assertThat(page.open(edge.httpUrl("/"), 1280, 800)).isEqualTo(200);
      page.await("both nodes, the origin publishing live/far and the edge pulling it", Duration.ofSeconds(30), s -> {
        JsonNode nodes = s.path("nodes");
        return nodes.size() == 2
            && row(nodes, origin.nodeId()).path("role").asText().equals("origin")
            && row(nodes, origin.nodeId()).path("published").asText().equals("live/far")
            && row(nodes, edge.nodeId()).path("role").asText().equals("edge")
            && row(nodes, edge.nodeId()).path("pulls").asText().equals("live/far");
      });
      page.await("the pulled stream with its viewer", Duration.ofSeconds(10),
          s -> DashboardBrowser.viewers(s, "live/far", "http-flv") == 1);
      page.command("screenshot", Duration.ofSeconds(30), "path",
          java.nio.file.Path.of("target", "dashboard-cluster-1280x800.png").toAbsolutePath().toString(),
          "width", 1280, "height", 800);
    }
  }

  private static JsonNode row(JsonNode nodes, String id) {
    return StreamSupport.stream(nodes.spliterator(), false)
        .filter(n -> id.equals(n.path("id").asText()))
        .findFirst().orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
  }
}
