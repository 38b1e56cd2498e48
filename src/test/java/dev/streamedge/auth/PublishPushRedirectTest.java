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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's on_publish push, both ways between a node and Debian's nginx-rtmp asking the same service: a
 * publish the service answers with 302 and an RTMP {@code Location} goes live where it was published and is
 * pushed to that URL while it lasts. ffmpeg publishes {@code live/bob-key} to the node, which pushes it to
 * nginx-rtmp's {@code live/bob}, and {@code live/carol-key} to nginx-rtmp, which pushes it to the node's
 * {@code live/carol}; a player waiting on each far end gets the publisher's frames.
 */
@Tag("e2e")
class PublishPushRedirectTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aPublishTheCallbackRedirectsToAnRtmpUrlIsPushedThereWhileItLastsAsOnNginxRtmp() throws Exception {
    int nginxPort = FreePorts.next();
    AtomicInteger nodePort = new AtomicInteger();
    try (CallbackServer service = CallbackServer.start(
        call -> call.field("name").endsWith("-key") ? 302 : 200,
        call -> switch (call.field("name")) {
          case "bob-key" -> "rtmp://127.0.0.1:" + nginxPort + "/live/bob";
          case "carol-key" -> "rtmp://127.0.0.1:" + nodePort.get() + "/live/carol";
          default -> null;
        })) {
      processes.own(NginxRtmp.startWith("push-redirect", nginxPort,
          "on_publish " + service.url("/nginx/on_publish") + ";"));
      Path media = TestMedia.audioVideo(4, 1);
      FrameHashes published = FrameHashes.ofFile(media);
      try (TestNode node = TestNode.start("--auth.publish=live=callback",
          "--auth.callback.on-publish=" + service.url("/node/on_publish"))) {
        nodePort.set(node.rtmpPort());
        // Players wait for streams nobody publishes yet, on both servers.
        Path fromNginx = Clients.output("push-redirect-bob.framemd5");
        Path fromNode = Clients.output("push-redirect-carol.framemd5");
        Process bob = processes.own(Clients.playToHashes("push-redirect-bob", NginxRtmp.url(nginxPort, "bob"),
            fromNginx));
        Process carol = processes.own(Clients.playToHashes("push-redirect-carol", node.rtmpUrl("carol"), fromNode));
        Process toNode = processes.own(Clients.publish("push-redirect-publisher", media, node.rtmpUrl("bob-key")));
        Process toNginx = processes.own(Clients.publish("push-redirect-publisher-nginx", media,
            NginxRtmp.url(nginxPort, "carol-key")));
        Await.until("the node's push to nginx-rtmp connected", Duration.ofSeconds(10), () -> {
          JsonArray pushes = pushes(node);
          return pushes.size() == 1 && pushes.getJsonObject(0).getBoolean("connected");
        });
        JsonObject push = pushes(node).getJsonObject(0);
        assertThat(push.getJsonObject("stream").getString("key")).isEqualTo("bob-key");
        assertThat(push.getString("target")).as("named up to its app, as relay.push's")
            .isEqualTo("rtmp://127.0.0.1:" + nginxPort + "/live");
        node.awaitPublisher("carol");
        Ffmpeg.awaitSuccess("push-redirect-publisher", toNode, 20);
        long published0 = System.nanoTime();
        Ffmpeg.awaitSuccess("push-redirect-publisher-nginx", toNginx, 20);
        Await.until("the push gone with its publish", Duration.ofSeconds(10), () -> pushes(node).isEmpty());
        long goneMillis = (System.nanoTime() - published0) / 1_000_000;
        System.out.printf("push-redirect: the push left the API %d ms after its publisher ended%n", goneMillis);
        assertThat(goneMillis).as("a push of one publish does not linger as relay.push's (5 s)").isLessThan(4000);
        Ffmpeg.awaitSuccess("push-redirect-bob", bob, 20);
        Ffmpeg.awaitSuccess("push-redirect-carol", carol, 20);
        for (Path played : new Path[] {fromNginx, fromNode}) {
          FrameHashes received = FrameHashes.parse(played);
          int from = FrameHashes.assertContiguous("video pushed " + played, published.video(), received.video());
          System.out.printf("push-redirect: %s got %d video packets from published packet %d%n", played.getFileName(),
              received.video().size(), from);
          assertThat(received.video().size()).as("video pushed " + played).isGreaterThan(40);
        }
        assertThat(node.scrape().value("streamedge_relay_push_bytes_total", "target", "on_publish"))
            .as("the callback's pushes counted under one label").isGreaterThan(200_000);
        assertThat(service.calls("publish", "live", "bob")).as("nginx-rtmp asked about the node's push")
            .hasSize(1);
        assertThat(service.calls("publish", "live", "carol")).as("the node asked about nginx-rtmp's push")
            .hasSize(1);
      }
    }
  }

  private static JsonArray pushes(TestNode node) throws Exception {
    return new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("push");
  }
}
