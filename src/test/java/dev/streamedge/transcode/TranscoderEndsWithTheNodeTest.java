package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of the node leaves no ffmpeg behind: nothing can stop the child then, but its standard
 * input was the node's pipe, which the kernel closes; ffmpeg reads the end of its input and exits.
 */
@Tag("e2e")
class TranscoderEndsWithTheNodeTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void killMinus9OfTheNodeLeavesNoFfmpeg() throws Exception {
    try (NodeProcess node = NodeProcess.single("transcode-kill", "--transcode.apps=live",
        "--transcode.ladder=120p=160x120@150k", "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG)) {
      node.awaitLog("listening: ", Duration.ofSeconds(30));
      processes.own(Clients.publishLooping("transcode-kill-publisher", TestMedia.oddGop(16), node.rtmpUrl("k9")));
      long[] pid = {-1};
      Await.until("a running transcoder", Duration.ofSeconds(20), () -> {
        JsonArray list = new JsonObject(Http.get(node.httpUrl("/api/v1/transcoders")).body())
            .getJsonArray("transcoders");
        if (!list.isEmpty() && list.getJsonObject(0).getLong("pid") != null) {
          pid[0] = list.getJsonObject(0).getLong("pid");
        }
        Thread.sleep(100);
        return pid[0] > 0;
      });
      node.awaitLog("publish 127\\.0\\.0\\.1:\\d+ stream=live/k9_120p", Duration.ofSeconds(20));
      Optional<ProcessHandle> ffmpeg = ProcessHandle.of(pid[0]);
      assertThat(ffmpeg).as("the transcoder's ffmpeg").isPresent();
      assertThat(ffmpeg.get().parent().map(ProcessHandle::pid)).as("its parent").contains(node.pid());
      long killed = System.nanoTime();
      node.kill();
      // Orphaned, it is reparented and reaped by init once it exits.
      ProcessHandle gone = ffmpeg.get().onExit().get(10, TimeUnit.SECONDS);
      System.out.printf("ffmpeg %d exited %.3f s after kill -9 of the node%n", pid[0],
          (System.nanoTime() - killed) / 1e9);
      assertThat(gone.isAlive()).isFalse();
    }
  }
}
