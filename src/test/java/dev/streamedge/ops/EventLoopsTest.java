package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code node.event-loops} sets how many event loops a node runs; 0, the default, is one per core. */
@Tag("e2e")
@Tag("timing")
class EventLoopsTest {

  @Test
  void byDefaultANodeRunsOneEventLoopPerCore() throws Exception {
    try (TestNode node = TestNode.start()) {
      assertThat(eventLoops(node)).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
  }

  @Test
  void aNodeGivenOneEventLoopServesAllItsClientsOnIt() throws Exception {
    assertThat(playersGetTheStream("--node.event-loops=1", 1)).isEqualTo(1);
  }

  @Test
  void aNodeGivenMoreEventLoopsThanCoresRunsThemAll() throws Exception {
    int loops = Runtime.getRuntime().availableProcessors() + 1;
    assertThat(playersGetTheStream("--node.event-loops=" + loops, loops)).isEqualTo(loops);
  }

  /** Starts a node, publishes to it and plays with as many players as loops; returns its loop count. */
  private static int playersGetTheStream(String option, int players) throws Exception {
    Vertx clients = Vertx.vertx();
    try (TestNode node = TestNode.start(option); ChildProcesses processes = new ChildProcesses()) {
      processes.own(Clients.publish("event-loops-publisher", TestMedia.audioVideo(10, 1), node.rtmpUrl("loops")));
      List<RecordingPlayer> viewers = new ArrayList<>();
      for (int i = 0; i < players; i++) {
        viewers.add(RecordingPlayer.play(clients, node.rtmpPort(), "loops"));
      }
      for (RecordingPlayer viewer : viewers) {
        Await.until("a keyframe at every player", Duration.ofSeconds(15), () -> viewer.keyframes() >= 1);
      }
      return eventLoops(node);
    } finally {
      clients.close();
    }
  }

  private static int eventLoops(TestNode node) {
    int count = 0;
    for (EventExecutor ignored : ((VertxInternal) node.node().vertx()).eventLoopGroup()) {
      count++;
    }
    return count;
  }
}
