package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's on_publish rename, side by side with Debian's nginx-rtmp asking the same service: the encoder
 * publishes with its secret key, the service answers 302 with a name, and viewers play that name on both
 * servers while the key names no stream; the publish_done events name the new stream on both.
 */
@Tag("e2e")
class PublishRenameTest {

  private static final String KEY = "k3y-0f-alice";

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aPublishTheCallbackAnswersWithANameGoesOnUnderThatNameAsOnNginxRtmp() throws Exception {
    try (CallbackServer service = CallbackServer.start(
        call -> !call.field("call").equals("publish") ? 200 : call.field("name").equals(KEY) ? 302 : 403,
        call -> call.field("call").equals("publish") && call.field("name").equals(KEY) ? "alice" : null)) {
      int port = FreePorts.next();
      processes.own(NginxRtmp.startWithOnPublish("rename", port, service.url("/on_publish")));
      Path media = TestMedia.audioVideo(3, 1);
      FrameHashes published = FrameHashes.ofFile(media);
      try (TestNode node = TestNode.start("--auth.publish=live=callback",
          "--auth.callback.on-publish=" + service.url("/on_publish"),
          "--auth.callback.on-publish-done=" + service.url("/on_publish_done"))) {
        Process toNginx = processes.own(Clients.publish("rename-publisher-nginx", media, NginxRtmp.url(port, KEY)));
        Process toNode = processes.own(Clients.publish("rename-publisher", media, node.rtmpUrl(KEY)));
        node.awaitPublisher("alice");
        assertThat(Http.get(node.httpUrl("/api/v1/streams/live/" + KEY)).statusCode()).as("the key names no stream")
            .isEqualTo(404);
        Path fromNginx = Clients.output("rename-player-nginx.framemd5");
        Path fromNode = Clients.output("rename-player.framemd5");
        Process nginxPlayer = processes.own(Clients.playToHashes("rename-player-nginx", NginxRtmp.url(port, "alice"),
            fromNginx));
        Process player = processes.own(Clients.playToHashes("rename-player", node.rtmpUrl("alice"), fromNode));
        Ffmpeg.awaitSuccess("rename-publisher", toNode, 20);
        Ffmpeg.awaitSuccess("rename-publisher-nginx", toNginx, 20);
        Ffmpeg.awaitSuccess("rename-player", player, 20);
        Ffmpeg.awaitSuccess("rename-player-nginx", nginxPlayer, 20);
        for (Path played : new Path[] {fromNginx, fromNode}) {
          FrameHashes received = FrameHashes.parse(played);
          FrameHashes.assertContiguous("video of alice " + played, published.video(), received.video());
          assertThat(received.video().size()).as("video of alice " + played).isGreaterThan(20);
        }
        assertThat(service.calls("publish", "live", KEY)).as("asked once by each server").hasSize(2);
        Await.until("the publish_done event", Duration.ofSeconds(10),
            () -> service.calls("publish_done", "live", "alice").size() == 1);
        assertThat(service.calls("publish_done", "live", KEY)).isEmpty();
      }
    }
  }
}
