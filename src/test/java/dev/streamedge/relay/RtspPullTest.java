package dev.streamedge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.AdtsFrames;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Gstreamer;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import dev.streamedge.testing.Vlc;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streams pulled from an RTSP server as a camera serves them: GStreamer's gst-rtsp-server (the library many cameras
 * and encoders are built on) serves an FLV file's H.264 with B-frames and AAC, and a viewer of an on-demand pull
 * here decodes every picture of the file and gets every AAC frame byte for byte; another node's RTSP play of HEVC
 * reaches a viewer here picture for picture; VLC's RTSP server, which sends RTP over UDP only, is pulled over UDP; a
 * live source behind a Digest login is pulled with the credentials of its URL, and a wrong password is reported in
 * the API without the URL's secret; a camera's G.711 audio reaches RTMP viewers as FLV's G.711.
 */
@Tag("e2e")
class RtspPullTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void everyPictureAndAacFrameOfAFileGstRtspServerServesReachesAViewerOfAnOnDemandPull() throws Exception {
    Path media = TestMedia.audioVideo(6, 2);
    List<String> pictures = FrameHashes.decodedPictures("rtsp-pull-source", media.toString());
    Path sourceAudio = Clients.output("rtsp-pull-source.aac");
    Ffmpeg.run("rtsp-pull-source-audio", List.of("-i", media.toString(), "-map", "0:a", "-c", "copy", "-f", "adts",
        "-y", sourceAudio.toString()), 60);
    for (int attempt = 1; ; attempt++) {
      int port = FreePorts.next();
      Process server = processes.own(Gstreamer.rtspServer("rtsp-pull-file-server", port, "/cam", "file",
          media.toString()));
      // The source ends the file with RTCP BYE and keeps the session: the pull ends it when it hears nothing for 2 s.
      try (TestNode node = TestNode.start("--relay.pull-on-demand=cams=rtsp://127.0.0.1:" + port + "/{key}",
          "--relay.connect-timeout=2s", "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms")) {
        Path video = Clients.output("rtsp-pull-player.framemd5");
        Path audio = Clients.output("rtsp-pull-player.aac");
        Process player = processes.own(Ffmpeg.start("rtsp-pull-player", List.of("-i",
            "rtmp://127.0.0.1:" + node.rtmpPort() + "/cams/cam", "-map", "0:v", "-f", "framemd5", "-y",
            video.toString(), "-map", "0:a", "-c", "copy", "-f", "adts", "-y", audio.toString())));
        player.waitFor(40, TimeUnit.SECONDS);
        if (attempt == 1 && Gstreamer.rtspServerAborted("rtsp-pull-file-server", server)) {
          // gst-rtsp-server 1.22 aborted at the pull's PLAY (see rtspServerAborted), not the node: once more.
          System.out.println("gst-rtsp-server aborted at PLAY (gst_rtsp_media_get_rates); trying once more");
          continue;
        }
        Ffmpeg.awaitSuccess("rtsp-pull-player", player, 1);
        assertThat(FrameHashes.parse(video).video()).as("decoded pictures").isEqualTo(pictures);
        List<byte[]> sent = AdtsFrames.split(Files.readAllBytes(sourceAudio));
        List<byte[]> received = AdtsFrames.split(Files.readAllBytes(audio));
        System.out.printf("pulled from gst-rtsp-server: %d of %d pictures, %d of %d AAC frames%n", pictures.size(),
            pictures.size(), received.size(), sent.size());
        assertThat(received).as("AAC frames").hasSameSizeAs(sent);
        for (int i = 0; i < received.size(); i++) {
          assertThat(received.get(i)).as("AAC frame " + i).isEqualTo(sent.get(i));
        }
        JsonObject pull = pulls(node).getJsonObject(0);
        assertThat(pull.getBoolean("onDemand")).isTrue();
        assertThat(pull.getString("source")).isEqualTo("rtsp://127.0.0.1:" + port);
        return;
      }
    }
  }

  @Test
  void everyPictureOfAnHevcStreamReachesAViewerOfAnotherNodeThatPullsItOverRtsp() throws Exception {
    Path media = TestMedia.enhanced("hevc", "aac", 6);
    List<String> pictures = FrameHashes.decodedPictures("rtsp-pull-hevc-source", media.toString());
    try (TestNode source = TestNode.start();
        TestNode node = TestNode.start("--relay.pull-on-demand=edge=" + source.rtspUrl("live", "{key}"),
            "--relay.connect-timeout=2s", "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms")) {
      // The viewer comes first: the pull's DESCRIBE waits on the source (rtsp.describe-timeout) for the publisher,
      // whose first GOP the source's RTSP player then gets from its GOP cache.
      Path video = Clients.output("rtsp-pull-hevc-player.framemd5");
      Process player = processes.own(Ffmpeg.start("rtsp-pull-hevc-player", List.of("-i",
          "rtmp://127.0.0.1:" + node.rtmpPort() + "/edge/hevc", "-map", "0:v", "-f", "framemd5", "-y",
          video.toString())));
      Await.until("the pull's DESCRIBE waiting on the source", Duration.ofSeconds(10),
          () -> !pulls(node).isEmpty());
      Process publisher = processes.own(Clients.publish("rtsp-pull-hevc-publisher", media, source.rtmpUrl("hevc")));
      Ffmpeg.awaitSuccess("rtsp-pull-hevc-publisher", publisher, 30);
      Ffmpeg.awaitSuccess("rtsp-pull-hevc-player", player, 20);
      assertThat(FrameHashes.parse(video).video()).as("decoded pictures").isEqualTo(pictures);
      assertThat(Files.readString(Path.of("target", "ffmpeg-logs", "rtsp-pull-hevc-player.log"))).contains("Video: hevc");
    }
  }

  @Test
  void aSourceThatSendsRtpOnlyOverUdpIsPulledOverUdpAfterItsRefusalOfTcp() throws Exception {
    Path media = TestMedia.audioVideo(20, 1);
    List<String> pictures = FrameHashes.decodedPictures("rtsp-pull-vlc-source", media.toString());
    int port = FreePorts.next();
    processes.own(Vlc.rtspServer("rtsp-pull-vlc-server", media, port, "/cam"));
    try (TestNode node = TestNode.start("--relay.pull-on-demand=vlc=rtsp://127.0.0.1:" + port + "/{key}",
        "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms")) {
      Path video = Clients.output("rtsp-pull-vlc-player.framemd5");
      Ffmpeg.run("rtsp-pull-vlc-player", List.of("-i", "rtmp://127.0.0.1:" + node.rtmpPort() + "/vlc/cam", "-t", "4",
          "-map", "0:v", "-f", "framemd5", "-y", video.toString()), 40);
      List<String> received = FrameHashes.parse(video).video();
      // VLC streams the file from its own start, whoever listens: the viewer's pictures are a run of the file's.
      int from = Collections.indexOfSubList(pictures, received);
      System.out.printf("pulled from VLC's RTSP server over UDP: %d pictures, from picture %d of the file's %d%n",
          received.size(), from, pictures.size());
      assertThat(received).as("decoded pictures of 4 s").hasSizeGreaterThan(75);
      assertThat(from).as("the pictures a run of the file's").isNotNegative();
      assertThat(Files.readString(Path.of("target", "ffmpeg-logs", "rtsp-pull-vlc-player.log"))).contains("Audio: aac");
    }
  }

  /**
   * A camera's defaults, H.264 and G.711 (gst-rtsp-server with mulawenc and alawenc, RFC 3551's static payload types
   * 0 and 8): the audio reaches an RTMP viewer as FLV's G.711 (SoundFormat 8 and 7), which ffmpeg reads as
   * pcm_mulaw and pcm_alaw at 8 kHz, a second of samples a second; HLS packages the video and leaves the audio out;
   * an RTSP player of the node gets the camera's A-law again.
   */
  @Test
  void aCamerasG711AudioReachesRtmpViewersBesideItsVideo() throws Exception {
    int mulaw = FreePorts.next();
    int alaw = FreePorts.next();
    processes.own(Gstreamer.rtspServer("rtsp-pull-pcmu-server", mulaw, "/cam", "pcmu"));
    processes.own(Gstreamer.rtspServer("rtsp-pull-pcma-server", alaw, "/cam", "pcma"));
    try (TestNode node = TestNode.start("--relay.pull=live/pcmu=rtsp://127.0.0.1:" + mulaw + "/cam,"
        + "live/pcma=rtsp://127.0.0.1:" + alaw + "/cam")) {
      node.awaitPublisher("pcmu");
      node.awaitPublisher("pcma");
      for (String key : List.of("pcmu", "pcma")) {
        String codec = key.equals("pcmu") ? "pcm_mulaw" : "pcm_alaw";
        Path samples = Clients.output("rtsp-pull-" + key + ".raw");
        Path video = Clients.output("rtsp-pull-" + key + ".framemd5");
        // 4 s of the stream: the audio's bytes as they came (one byte a sample), the video decoded.
        Ffmpeg.run("rtsp-pull-" + key + "-player", List.of("-i", "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/" + key,
            "-t", "4", "-map", "0:a", "-c", "copy", "-f", key.equals("pcmu") ? "mulaw" : "alaw", "-y",
            samples.toString(), "-t", "4", "-map", "0:v", "-f", "framemd5", "-y", video.toString()), 30);
        String log = Files.readString(Path.of("target", "ffmpeg-logs", "rtsp-pull-" + key + "-player.log"));
        long bytes = Files.size(samples);
        int pictures = FrameHashes.parse(video).video().size();
        System.out.printf("G.711 pulled from gst-rtsp-server (%s): %d bytes of samples in 4 s, %d pictures%n", key,
            bytes, pictures);
        assertThat(log).contains("Audio: " + codec + ", 8000 Hz, mono");
        assertThat(bytes).as("samples of 4 s at 8 kHz").isBetween(28_000L, 36_000L);
        assertThat(pictures).as("pictures of 4 s at 25 fps").isGreaterThan(80);
      }
      Await.until("an HLS playlist of the video", Duration.ofSeconds(15),
          () -> Http.get(node.httpUrl("/hls/pcmu.m3u8")).statusCode() == 200);
      Ffmpeg.awaitSuccess("rtsp-pull-pcmu-hls", Ffmpeg.startProbe("rtsp-pull-pcmu-hls",
          List.of(node.httpUrl("/hls/pcmu.m3u8"))), 30);
      assertThat(Files.readString(Path.of("target", "ffmpeg-logs", "rtsp-pull-pcmu-hls.log"))).as("the HLS's streams")
          .contains("Video: h264").doesNotContain("Audio:");
      assertThat(new JsonObject(Http.get(node.httpUrl("/api/v1/streams/live/pcmu")).body()).getJsonObject("audio")
          .getString("codec")).isEqualTo("G711U 8000 Hz 1 ch");
      assertThat(new JsonObject(Http.get(node.httpUrl("/api/v1/streams/live/pcma")).body()).getJsonObject("audio")
          .getString("codec")).isEqualTo("G711A 8000 Hz 1 ch");
      // The camera re-served over RTSP (as MediaMTX proxies one) keeps its audio: PCMA as it came.
      Path again = Clients.output("rtsp-pull-pcma-rtsp.raw");
      Ffmpeg.run("rtsp-pull-pcma-rtsp-player", List.of("-i", node.rtspUrl("live", "pcma"), "-t", "2", "-map", "0:a",
          "-c", "copy", "-f", "alaw", "-y", again.toString()), 30);
      assertThat(Files.readString(Path.of("target", "ffmpeg-logs", "rtsp-pull-pcma-rtsp-player.log")))
          .contains("Audio: pcm_alaw, 8000 Hz, mono").contains("Video: h264");
      assertThat(Files.size(again)).as("samples of 2 s over RTSP").isBetween(14_000L, 18_000L);
    }
  }

  @Test
  void aSourceBehindADigestLoginIsPulledWithTheCredentialsOfItsUrlAndAWrongPasswordIsReported() throws Exception {
    int port = FreePorts.next();
    processes.own(Gstreamer.rtspServer("rtsp-pull-digest-server", port, "/cam", "live", "--digest", "alice:s3cret"));
    Vertx vertx = Vertx.vertx();
    try (LogLines log = LogLines.capture();
        TestNode node = TestNode.start("--relay.pull=live/cam=rtsp://alice:s3cret@127.0.0.1:" + port + "/cam,"
            + "live/wrong=rtsp://alice:n0pe@127.0.0.1:" + port + "/cam",
            "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms")) {
      RecordingPlayer viewer = RecordingPlayer.play(vertx, node.rtmpPort(), "cam");
      Await.until("pulled video and audio", Duration.ofSeconds(20),
          () -> viewer.keyframes() >= 2 && viewer.frames.stream().filter(f -> f.typeId() == 8).count() > 20);
      Await.until("an HLS playlist of the pulled stream", Duration.ofSeconds(15),
          () -> Http.get(node.httpUrl("/hls/cam.m3u8")).statusCode() == 200);
      JsonObject good = pulls(node).getJsonObject(0);
      assertThat(good.getString("state")).isEqualTo("publishing");
      assertThat(good.getString("source")).isEqualTo("rtsp://127.0.0.1:" + port);
      Await.until("the wrong password refused and tried again", Duration.ofSeconds(10),
          () -> pulls(node).getJsonObject(1).getLong("reconnects") >= 2);
      JsonObject wrong = pulls(node).getJsonObject(1);
      System.out.printf("RTSP pull behind a Digest login: %d keyframes, the wrong password's error: %s%n",
          viewer.keyframes(), wrong.getString("lastError"));
      assertThat(wrong.getString("lastError")).isEqualTo("DESCRIBE 401 Unauthorized: the credentials were refused");
      assertThat(wrong.getString("state")).isIn("waiting", "connecting");
      assertThat(node.node().registry().isLive(new StreamKey("live", "wrong"))).isFalse();
      assertThat(Http.get(node.httpUrl("/api/v1/relays")).body()).doesNotContain("s3cret").doesNotContain("n0pe");
      assertThat(log.count("s3cret|n0pe")).as("log lines with a password").isZero();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static JsonArray pulls(TestNode node) throws Exception {
    return new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("pull");
  }
}
