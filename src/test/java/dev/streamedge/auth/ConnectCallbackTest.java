package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's on_connect and on_disconnect, side by side with Debian's nginx-rtmp asking the same service:
 * every RTMP connect is asked about before it is answered; a 2xx lets it on, a 3xx with an app name moves
 * it to that app, a 403 refuses it; every connection that was let on is told of when it closes. The forms
 * carry the fields nginx-rtmp's do, in the query of a GET on both (nginx-rtmp's {@code notify_method get}).
 */
@Tag("e2e")
class ConnectCallbackTest {

  private static final String BANNED = "BannedPlayer/1.0";

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void connectsAreAskedAboutMovedOrRefusedAndTheirEndsToldAsOnNginxRtmp() throws Exception {
    try (CallbackServer service = CallbackServer.start(ConnectCallbackTest::status,
        call -> "elsewhere".equals(call.field("app")) ? "live" : null)) {
      int port = FreePorts.next();
      // Both send their forms as GET queries (nginx-rtmp's notify_method get).
      processes.own(NginxRtmp.startWith("connect", port, "notify_method get; on_connect "
          + service.url("/nginx/connect") + "; on_disconnect " + service.url("/nginx/disconnect") + ";", ""));
      Path media = TestMedia.audioVideo(4, 1);
      FrameHashes published = FrameHashes.ofFile(media);
      try (TestNode node = TestNode.start("--auth.callback.on-connect=" + service.url("/node/connect"),
          "--auth.callback.on-disconnect=" + service.url("/node/disconnect"), "--auth.callback.method=get")) {
        String[] bases = {"rtmp://127.0.0.1:" + port, "rtmp://127.0.0.1:" + node.rtmpPort()};
        String[] servers = {"nginx", "node"};
        Process[] publishers = new Process[2];
        for (int i = 0; i < 2; i++) {
          publishers[i] = processes.own(Clients.publish("connect-publisher-" + servers[i], media,
              bases[i] + "/live/cam"));
        }
        node.awaitPublisher("cam");
        Path[] outputs = new Path[4];
        Process[] players = new Process[4];
        Process[] banned = new Process[2];
        for (int i = 0; i < 2; i++) {
          // One plays the app it asked for, one asks for app elsewhere and is moved to live.
          outputs[i] = Clients.output("connect-player-" + servers[i] + ".framemd5");
          players[i] = processes.own(Clients.playToHashes("connect-player-" + servers[i], bases[i] + "/live/cam",
              outputs[i]));
          outputs[i + 2] = Clients.output("connect-moved-" + servers[i] + ".framemd5");
          players[i + 2] = processes.own(Clients.playToHashes("connect-moved-" + servers[i],
              bases[i] + "/elsewhere/cam", outputs[i + 2]));
          banned[i] = processes.own(Ffmpeg.start("connect-banned-" + servers[i], List.of("-rtmp_flashver", BANNED,
              "-i", bases[i] + "/live/cam", "-t", "1", "-f", "null", "-")));
        }
        for (int i = 0; i < 2; i++) {
          assertThat(banned[i].waitFor(20, TimeUnit.SECONDS)).as("refused player of " + servers[i] + " ended").isTrue();
          assertThat(banned[i].exitValue()).as("refused player of " + servers[i]).isNotZero();
          Ffmpeg.awaitSuccess("connect-publisher-" + servers[i], publishers[i], 20);
        }
        for (int i = 0; i < 4; i++) {
          Ffmpeg.awaitSuccess("connect player " + i, players[i], 20);
          FrameHashes received = FrameHashes.parse(outputs[i]);
          FrameHashes.assertContiguous("video " + outputs[i], published.video(), received.video());
          assertThat(received.video().size()).as("video " + outputs[i]).isGreaterThan(20);
        }
        // nginx-rtmp tells of every connection, the port probe and the refused one with empty fields; the node of
        // every connect it was asked about.
        Await.until("the disconnect events", Duration.ofSeconds(10),
            () -> calls(service, "node", "disconnect").size() == 4
                && calls(service, "nginx", "disconnect").size() >= 4
                && calls(service, "nginx", "disconnect").stream().filter(c -> c.field("tcurl").endsWith("/elsewhere")
                    || c.field("flashver").startsWith("FMLE")).count() == 2);
        for (String server : servers) {
          List<CallbackServer.Call> connects = calls(service, server, "connect");
          assertThat(connects).as("connects asked by " + server).hasSize(4);
          assertThat(connects.stream().filter(c -> c.field("flashver").equals(BANNED))).hasSize(1);
          assertThat(connects.stream().filter(c -> c.field("app").equals("elsewhere"))).hasSize(1);
          // Told in the app they were moved to, as nginx-rtmp tells it (which sends app twice).
          assertThat(calls(service, server, "disconnect").stream()
              .filter(c -> c.field("tcurl").endsWith("/elsewhere")).map(c -> c.field("app").split(",")[0]).toList())
              .as("the moved connection's end, told by " + server).containsExactly("live");
        }
        assertThat(service.calls).as("every call a GET with its form in the query")
            .allMatch(c -> c.method().equals("GET"));
        for (String call : new String[] {"connect", "disconnect"}) {
          assertThat(calls(service, "node", call).get(0).form().keySet())
              .as("every field of nginx-rtmp's " + call + " form")
              .containsAll(calls(service, "nginx", call).get(0).form().keySet());
        }
      }
    }
  }

  @Test
  void commandsSentBeforeConnectIsAnsweredWaitForItASixteenAtMost() throws Exception {
    try (CallbackServer service = CallbackServer.start(call -> CallbackServer.HOLD);
        TestNode node = TestNode.start("--auth.callback.on-connect=" + service.url("/connect"),
            "--auth.callback.timeout=500ms", "--auth.callback.when-down=allow")) {
      try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
        client.handshake();
        long sent = System.nanoTime();
        sendConnect(client, node);
        client.command(0, "createStream", 2.0, null);
        client.command(0, "createStream", 3.0, null);
        client.awaitCommand("_result of connect", Duration.ofSeconds(5), "_result", 1.0);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("answered once the callback counted as down")
            .isGreaterThanOrEqualTo(Duration.ofMillis(450));
        // Then the commands that came meanwhile, in their order.
        assertThat(client.awaitCommand("createStream 2", Duration.ofSeconds(5), "_result", 2.0))
            .containsExactly("_result", 2.0, null, 1.0);
        assertThat(client.awaitCommand("createStream 3", Duration.ofSeconds(5), "_result", 3.0))
            .containsExactly("_result", 3.0, null, 2.0);
      }
      try (RawRtmp flood = RawRtmp.open(node.rtmpPort())) {
        flood.handshake();
        sendConnect(flood, node);
        for (int i = 0; i < 17; i++) {
          flood.command(0, "createStream", 2.0 + i, null);
        }
        assertThatThrownBy(() -> flood.awaitCommand("_result of connect", Duration.ofSeconds(5), "_result", 1.0))
            .as("closed at the 17th command, before connect was answered").hasMessageContaining("closed");
      }
    }
  }

  private static void sendConnect(RawRtmp client, TestNode node) throws Exception {
    client.command(0, "connect", 1.0, Map.of("app", "live", "flashVer", "LNX 9,0,124,2",
        "tcUrl", "rtmp://127.0.0.1:" + node.rtmpPort() + "/live"));
  }

  private static int status(CallbackServer.Call call) {
    if (!"connect".equals(call.field("call"))) {
      return 200;
    }
    return BANNED.equals(call.field("flashver")) ? 403 : "elsewhere".equals(call.field("app")) ? 302 : 200;
  }

  private static List<CallbackServer.Call> calls(CallbackServer service, String server, String call) {
    return service.calls(call).stream().filter(c -> c.path().startsWith("/" + server + "/")).toList();
  }
}
