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
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's callback renames, side by side with Debian's nginx-rtmp asking the same service: the encoder
 * publishes with its secret key and the on_publish answer (302, a name) makes it {@code alice}; a viewer plays
 * with a ticket and the on_play answer (302, a name) makes it a player of {@code alice}. Both servers play
 * alice to the viewer of alice and to the viewer of the ticket, the key and the ticket name no stream, and
 * the done events name what each client asked for, on both.
 */
@Tag("e2e")
class CallbackRenameTest {

  private static final String KEY = "k3y-0f-alice";
  private static final String TICKET = "t1cket-7";

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aPublishOrPlayTheCallbackAnswersWithANameGoesOnUnderThatNameAsOnNginxRtmp() throws Exception {
    try (CallbackServer service = CallbackServer.start(CallbackRenameTest::status, CallbackRenameTest::location)) {
      int port = FreePorts.next();
      processes.own(NginxRtmp.startWith("rename", port, "on_publish " + service.url("/nginx/on_publish")
          + "; on_play " + service.url("/nginx/on_play") + "; on_publish_done " + service.url("/nginx/done")
          + "; on_play_done " + service.url("/nginx/done") + ";"));
      Path media = TestMedia.audioVideo(3, 1);
      FrameHashes published = FrameHashes.ofFile(media);
      try (TestNode node = TestNode.start("--auth.publish=live=callback", "--auth.play=live=callback",
          "--auth.callback.on-publish=" + service.url("/node/on_publish"),
          "--auth.callback.on-play=" + service.url("/node/on_play"),
          "--auth.callback.on-publish-done=" + service.url("/node/done"),
          "--auth.callback.on-play-done=" + service.url("/node/done"))) {
        Process toNginx = processes.own(Clients.publish("rename-publisher-nginx", media, NginxRtmp.url(port, KEY)));
        Process toNode = processes.own(Clients.publish("rename-publisher", media, node.rtmpUrl(KEY)));
        node.awaitPublisher("alice");
        assertThat(Http.get(node.httpUrl("/api/v1/streams/live/" + KEY)).statusCode()).as("the key names no stream")
            .isEqualTo(404);
        String[] names = {"alice", TICKET};
        Path[] outputs = new Path[5];
        Process[] players = new Process[5];
        for (int i = 0; i < 4; i++) {
          String player = "rename-player-" + names[i % 2] + (i < 2 ? "-nginx" : "");
          outputs[i] = Clients.output(player + ".framemd5");
          players[i] = processes.own(Clients.playToHashes(player,
              i < 2 ? NginxRtmp.url(port, names[i % 2]) : node.rtmpUrl(names[i % 2]), outputs[i]));
        }
        // The node's HTTP players are renamed too (nginx-rtmp has none).
        outputs[4] = Clients.output("rename-player-flv.framemd5");
        players[4] = processes.own(Clients.playToHashes("rename-player-flv", node.httpUrl("/live/" + TICKET + ".flv"),
            outputs[4]));
        assertHlsOfTheTicketIsAlice(node);
        Ffmpeg.awaitSuccess("rename-publisher", toNode, 20);
        Ffmpeg.awaitSuccess("rename-publisher-nginx", toNginx, 20);
        for (int i = 0; i < 5; i++) {
          Ffmpeg.awaitSuccess("rename-player " + i, players[i], 20);
          FrameHashes received = FrameHashes.parse(outputs[i]);
          FrameHashes.assertContiguous("video of alice " + outputs[i], published.video(), received.video());
          assertThat(received.video().size()).as("video of alice " + outputs[i]).isGreaterThan(20);
        }
        assertThat(Http.get(node.httpUrl("/api/v1/streams/live/" + TICKET)).statusCode())
            .as("the ticket names no stream").isEqualTo(404);
        assertThat(calls(service, "/nginx/", "play", TICKET)).as("play of the ticket asked by nginx-rtmp").hasSize(1);
        assertThat(calls(service, "/node/", "play", TICKET)).as("play of the ticket asked by the node").isNotEmpty();
        for (String server : new String[] {"/nginx/", "/node/"}) {
          assertThat(calls(service, server, "publish", KEY)).as("publish of the key asked by " + server).hasSize(1);
          // nginx-rtmp keeps the name a client asked for in its events: the service knows the key, the ticket.
          int ticketPlayers = server.equals("/node/") ? 2 : 1;
          Await.until("the done events of " + server, Duration.ofSeconds(10),
              () -> calls(service, server, "publish_done", KEY).size() == 1
                  && calls(service, server, "play_done", TICKET).size() == ticketPlayers
                  && calls(service, server, "play_done", "alice").size() == 1);
          assertThat(calls(service, server, "publish_done", "alice")).as("publish_done of alice by " + server)
              .isEmpty();
        }
        for (String call : new String[] {"publish", "play", "publish_done", "play_done"}) {
          // The node's RTMP ones: its HTTP players have no RTMP session to tell of.
          assertThat(service.calls(call).stream().filter(c -> c.path().startsWith("/node/")
                  && "rtmp".equals(c.field("proto"))).findFirst().orElseThrow()
              .form().keySet()).as("every field of nginx-rtmp's " + call + " form")
              .containsAll(service.calls(call).stream().filter(c -> c.path().startsWith("/nginx/")).findFirst()
                  .orElseThrow().form().keySet());
        }
      }
    }
  }

  /** The ticket's HLS playlist is alice's, and so are the init and media segments it names. */
  private static void assertHlsOfTheTicketIsAlice(TestNode node) throws Exception {
    String[] lines = new String[1];
    String playlistUrl = node.httpUrl("/hls/live/" + TICKET + ".m3u8");
    Await.until("an HLS playlist with a segment for the ticket", Duration.ofSeconds(10), () -> {
      HttpResponse<String> playlist = Http.get(playlistUrl);
      lines[0] = playlist.body();
      return playlist.statusCode() == 200 && playlist.body().lines().anyMatch(CallbackRenameTest::isUri);
    });
    String segment = lines[0].lines().filter(CallbackRenameTest::isUri).findFirst().orElseThrow();
    String map = lines[0].lines().filter(line -> line.startsWith("#EXT-X-MAP:")).findFirst().orElseThrow();
    String init = map.substring(map.indexOf('"') + 1, map.lastIndexOf('"'));
    HttpResponse<byte[]> initBytes = Http.getBytes(URI.create(playlistUrl).resolve(init).toString());
    assertThat(initBytes.statusCode()).as("init " + init).isEqualTo(200);
    assertThat(new String(initBytes.body(), 4, 4, StandardCharsets.ISO_8859_1)).as("init " + init).isEqualTo("ftyp");
    HttpResponse<byte[]> media = Http.getBytes(URI.create(playlistUrl).resolve(segment).toString());
    assertThat(media.statusCode()).as("segment " + segment).isEqualTo(200);
    assertThat(media.body().length).as("segment " + segment).isGreaterThan(10_000);
  }

  private static boolean isUri(String playlistLine) {
    return !playlistLine.isEmpty() && !playlistLine.startsWith("#");
  }

  private static int status(CallbackServer.Call call) {
    return switch (call.field("call")) {
      case "publish" -> call.field("name").equals(KEY) ? 302 : 403;
      case "play" -> call.field("name").equals(TICKET) ? 302 : 200;
      default -> 200;
    };
  }

  private static String location(CallbackServer.Call call) {
    return status(call) == 302 ? "alice" : null;
  }

  private static List<CallbackServer.Call> calls(CallbackServer service, String server, String call, String name) {
    return service.calls(call, "live", name).stream().filter(c -> c.path().startsWith(server)).toList();
  }
}
