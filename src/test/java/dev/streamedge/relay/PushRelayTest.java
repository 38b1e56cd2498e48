package dev.streamedge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.TcpForwarder;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Push relays to nginx-rtmp (Debian's nginx with libnginx-mod-rtmp): ffmpeg publishes to streamedge,
 * the relay pushes to nginx-rtmp, ffmpeg plays back from nginx-rtmp and gets the published packets;
 * nginx-rtmp killed and started again gets the stream again while the publisher and a viewer on
 * streamedge go on.
 */
@Tag("e2e")
class PushRelayTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void nginxRtmpPlaysBackThePublishedPacketsFromTheFirstKeyframeAfterTheConnect() throws Exception {
    int port = FreePorts.next();
    processes.own(NginxRtmp.start("push", port));
    Path media = TestMedia.audioVideo(8, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    // A tap in front of nginx-rtmp: what the push sends, to see its commands.
    try (TcpForwarder tap = TcpForwarder.start("127.0.0.1", port);
        TestNode node = TestNode.start("--relay.push=live=rtmp://127.0.0.1:" + tap.port() + "/live/{key}")) {
      String target = "rtmp://127.0.0.1:" + tap.port() + "/live";
      Process publisher = processes.own(Clients.publish("push-publisher", media, node.rtmpUrl("pushed")));
      Await.until("the push to nginx-rtmp connected", Duration.ofSeconds(10),
          () -> PushRelays.connected(node, "pushed", target));
      // As OBS and ffmpeg publish (YouTube's and Twitch's ingest expect it): releaseStream and FCPublish
      // before createStream, then publish; nginx-rtmp answers neither of the first two, and goes on.
      byte[] sent = tap.fromClients();
      int release = indexOf(sent, amf0("releaseStream"));
      int fcPublish = indexOf(sent, amf0("FCPublish"));
      int createStream = indexOf(sent, amf0("createStream"));
      int publish = indexOf(sent, amf0("publish"));
      System.out.printf("the push's commands at byte: releaseStream %d, FCPublish %d, createStream %d, publish %d%n",
          release, fcPublish, createStream, publish);
      assertThat(release).as("releaseStream sent").isPositive();
      assertThat(fcPublish).as("FCPublish after releaseStream").isGreaterThan(release);
      assertThat(createStream).as("createStream after FCPublish").isGreaterThan(fcPublish);
      assertThat(publish).as("publish after createStream").isGreaterThan(createStream);
      Path out = Clients.output("push-nginx-player.framemd5");
      Process player = processes.own(Clients.playToHashes("push-nginx-player", NginxRtmp.url(port, "pushed"), out));
      Ffmpeg.awaitSuccess("push-publisher", publisher, 30);
      // nginx-rtmp tells its players NetStream.Play.UnpublishNotify when the relay's publish ends.
      Ffmpeg.awaitSuccess("push-nginx-player", player, 20);

      FrameHashes received = FrameHashes.parse(out);
      FrameHashes.assertContiguous("video from nginx-rtmp", published.video(), received.video());
      FrameHashes.assertContiguous("audio from nginx-rtmp", published.audio(), received.audio());
      // The player joined nginx-rtmp after the relay connected, within the first seconds of 8.
      assertThat(received.video().size()).as("video packets played back").isGreaterThan(published.video().size() / 2);
      JsonObject push = PushRelays.push(node, "pushed", target).orElseThrow();
      assertThat(push.getLong("reconnects")).isZero();
      assertThat(push.getLong("bytesSent")).isGreaterThan(500_000L);
    }
  }

  /**
   * ffmpeg's own RTMP server ({@code -listen 1}) answers releaseStream and FCPublish (a _result each, and
   * onFCPublish), which the push sends before createStream as OBS and ffmpeg do, then records what the
   * push sends: the push goes on past those answers to createStream's.
   */
  @Test
  void ffmpegsRtmpServerGetsReleaseStreamAndFcPublishThenThePublishedPackets() throws Exception {
    int port = FreePorts.next();
    Path media = TestMedia.audioVideo(6, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Path out = Clients.output("push-ffmpeg-server.framemd5");
    Process server = processes.own(Ffmpeg.start("push-ffmpeg-server", List.of("-listen", "1",
        "-i", "rtmp://127.0.0.1:" + port + "/live/pushed", "-map", "0", "-c", "copy", "-f", "framemd5", "-y",
        out.toString())));
    try (TestNode node = TestNode.start("--relay.push=live=rtmp://127.0.0.1:" + port + "/live/{key}",
        "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms")) {
      Process publisher = processes.own(Clients.publish("push-ffmpeg-publisher", media, node.rtmpUrl("pushed")));
      Ffmpeg.awaitSuccess("push-ffmpeg-publisher", publisher, 30);
      Ffmpeg.awaitSuccess("push-ffmpeg-server", server, 20);
      FrameHashes received = FrameHashes.parse(out);
      int from = FrameHashes.assertContiguous("video at ffmpeg's server", published.video(), received.video());
      FrameHashes.assertContiguous("audio at ffmpeg's server", published.audio(), received.audio());
      System.out.printf("push to ffmpeg's RTMP server: %d of %d video packets from packet %d%n",
          received.video().size(), published.video().size(), from);
      assertThat(received.video().size()).isGreaterThan(published.video().size() / 2);
    }
  }

  @Test
  void aTargetThatRestartsGetsTheStreamAgainWhileThePublisherAndAViewerGoOn() throws Exception {
    int port = FreePorts.next();
    Process nginx = processes.own(NginxRtmp.start("restart", port));
    String target = "rtmp://127.0.0.1:" + port + "/live";
    Path media = TestMedia.audioVideo(4, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = TestNode.start("--relay.push=live=" + NginxRtmp.url(port, "{key}"),
        "--relay.reconnect-min=200ms", "--relay.reconnect-max=1s")) {
      Path viewed = Clients.output("restart-viewer.framemd5");
      Process viewer = processes.own(Clients.playToHashes("restart-viewer", node.rtmpUrl("restart"), viewed));
      node.awaitSubscribers("restart", 1);
      long publishedAt = System.nanoTime();
      Process publisher = processes.own(Clients.publishLooping("restart-publisher", media, node.rtmpUrl("restart")));
      Await.until("the push connected", Duration.ofSeconds(10), () -> PushRelays.connected(node, "restart", target));

      ChildProcesses.kill(nginx);
      Await.until("the push saw nginx-rtmp go", Duration.ofSeconds(10),
          () -> !PushRelays.connected(node, "restart", target) && PushRelays.reconnects(node, "restart", target) >= 1);
      processes.own(NginxRtmp.start("restart", port));
      long restarted = System.nanoTime();
      Await.until("the push connected again", Duration.ofSeconds(10), () -> PushRelays.connected(node, "restart", target));
      System.out.printf("push connected again %d ms after nginx-rtmp restarted%n",
          (System.nanoTime() - restarted) / 1_000_000);

      Path out = Clients.output("restart-nginx-player.framemd5");
      Ffmpeg.run("restart-nginx-player", List.of("-i", NginxRtmp.url(port, "restart"), "-map", "0", "-c", "copy",
          "-t", "3", "-f", "framemd5", "-y", out.toString()), 20);
      FrameHashes again = FrameHashes.parse(out);
      FrameHashes.assertContiguous("video from the restarted nginx-rtmp", PushRelays.repeated(published.video(), 3),
          again.video());
      // -t counts from the first packet of either kind, and nginx-rtmp sends audio at once but video from
      // the next keyframe (GOP 1 s): 3 s of it hold 2 s of video or more; 25 was seen with -t 2 under load.
      assertThat(again.video().size()).as("video packets of 3 s from the restarted target").isGreaterThan(25);
      assertThat(publisher.isAlive()).as("the publisher goes on").isTrue();
      assertThat(viewer.isAlive()).as("the viewer on streamedge goes on").isTrue();

      ChildProcesses.stop(publisher);
      double seconds = (System.nanoTime() - publishedAt) / 1e9;
      Ffmpeg.awaitSuccess("restart-viewer", viewer, 20);
      FrameHashes viewedHashes = FrameHashes.parse(viewed);
      int loops = (int) Math.ceil(seconds / 4) + 2;
      FrameHashes.assertContiguous("video of the viewer on streamedge", PushRelays.repeated(published.video(), loops),
          viewedHashes.video());
      // 25 fps: the viewer missed nothing while the target was down and came back.
      assertThat(viewedHashes.video().size()).as("video packets over %.1f s", seconds)
          .isGreaterThan((int) ((seconds - 2) * 25));
    }
  }

  @Test
  void aTargetThatStopsReadingSkipsFramesWhileThePublisherAndAViewerGetEverything() throws Exception {
    int port = FreePorts.next();
    Process nginx = processes.own(NginxRtmp.start("stalled", port));
    String target = "rtmp://127.0.0.1:" + port + "/live";
    Path media = TestMedia.fiveMegabit(10);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = TestNode.start("--relay.push=live=" + NginxRtmp.url(port, "{key}"),
        "--relay.push-queue-max-bytes=256KiB", "--player.socket-send-buffer=64KiB")) {
      Path viewed = Clients.output("stalled-viewer.framemd5");
      Process viewer = processes.own(Clients.playToHashes("stalled-viewer", node.rtmpUrl("stalled"), viewed));
      node.awaitSubscribers("stalled", 1);
      Process publisher = processes.own(Clients.publish("stalled-publisher", media, node.rtmpUrl("stalled")));
      Await.until("the push connected", Duration.ofSeconds(10), () -> PushRelays.connected(node, "stalled", target));
      // nginx's worker stops: the push's socket fills, then its queue, which skips to the next keyframe.
      List<ProcessHandle> workers = nginx.descendants().toList();
      assertThat(workers).as("nginx workers").isNotEmpty();
      signal("STOP", workers);
      try {
        Await.until("frames dropped for the stalled target", Duration.ofSeconds(15),
            () -> PushRelays.push(node, "stalled", target).map(p -> p.getLong("droppedFrames") > 0).orElse(false));
      } finally {
        signal("CONT", workers);
      }
      assertThat(publisher.isAlive()).as("the publisher goes on").isTrue();
      Ffmpeg.awaitSuccess("stalled-publisher", publisher, 30);
      Ffmpeg.awaitSuccess("stalled-viewer", viewer, 20);
      FrameHashes received = FrameHashes.parse(viewed);
      assertThat(received.video()).as("video of the viewer on streamedge").isEqualTo(published.video());
      assertThat(received.audio()).as("audio of the viewer on streamedge").isEqualTo(published.audio());
      System.out.println("stalled target: " + PushRelays.push(node, "stalled", target).orElseThrow());
    }
  }

  /** An AMF0 string as it is on the wire: marker 2, a 16-bit length, the bytes (AMF0 §2.4). */
  private static byte[] amf0(String value) {
    byte[] text = value.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] out = new byte[3 + text.length];
    out[0] = 2;
    out[1] = (byte) (text.length >>> 8);
    out[2] = (byte) text.length;
    System.arraycopy(text, 0, out, 3, text.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
    for (ProcessHandle process : processes) {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
    }
  }
}
