package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Gstreamer;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real RTSP clients play what an RTMP publisher sends ({@code rtsp://host:port/live/key}, MediaMTX's form): ffmpeg
 * 8 asks for RTP over UDP first, is answered 461 and takes RTP over TCP, and has every frame of the published
 * file from the first to the last (the decoded pictures, the AAC frames' bytes), H.264 or HEVC, its play ended by
 * the RTCP BYE sent at the publisher's end; GStreamer's rtspsrc plays a live publish; Debian's ffmpeg 5.1 asked
 * for TCP plays, the API lists its player and counts it among the stream's viewers, and its kick ends it.
 */
@Tag("e2e")
class RtspPlayTest {

  /** A DESCRIBE waits this long for a publisher: the players here start before theirs. */
  @RegisterExtension
  static final TestNode node = TestNode.extension("--rtsp.describe-timeout=30s");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void ffmpegDecodesEveryFrameOfAnRtmpPublishOverRtsp() throws Exception {
    assertEveryFramePlays("rtsp-play", TestMedia.audioVideo(6, 2));
  }

  @Test
  void ffmpegDecodesEveryFrameOfAnHevcPublishOverRtsp() throws Exception {
    // ffmpeg 8 publishes x265 with B-frames in Enhanced RTMP; the player depacketizes RFC 7798.
    assertEveryFramePlays("rtsp-play-hevc", TestMedia.enhanced("hevc", "aac", 6));
    assertThat(Files.readString(Path.of("target", "ffmpeg-logs", "rtsp-play-hevc-player.log")))
        .contains("Video: hevc");
  }

  /**
   * An RTSP player (ffmpeg 8) asks for {@code key} before it is published, so its DESCRIBE waits; an RTMP
   * publisher sends a file, and the player has every frame of it to the last: the decoded pictures are the
   * file's, MD5 for MD5, and the AAC frames the file's byte for byte (written out as ADTS by ffmpeg on both
   * sides). The publish's end sends an RTCP BYE on each track, and ffmpeg ends with it.
   */
  private void assertEveryFramePlays(String key, Path media) throws Exception {
    List<String> pictures = FrameHashes.decodedPictures(key + "-source", media.toString());
    Path sourceAudio = Clients.output(key + "-source.aac");
    Ffmpeg.run(key + "-source-audio", List.of("-i", media.toString(), "-map", "0:a", "-c", "copy", "-f", "adts", "-y",
        sourceAudio.toString()), 60);
    Path video = Clients.output(key + "-player.framemd5");
    Path audio = Clients.output(key + "-player.aac");
    Process player = processes.own(Ffmpeg.start(key + "-player", List.of("-i", node.rtspUrl("live", key),
        "-map", "0:v", "-f", "framemd5", "-y", video.toString(), "-map", "0:a", "-c", "copy", "-f", "adts", "-y",
        audio.toString())));
    node.awaitSubscribers(key, 1); // the player's DESCRIBE, waiting for the stream's tracks
    Process publisher = processes.own(Clients.publish(key + "-publisher", media, node.rtmpUrl(key)));
    Ffmpeg.awaitSuccess(key + "-publisher", publisher, 60);
    Ffmpeg.awaitSuccess(key + "-player", player, 30);
    assertThat(FrameHashes.parse(video).video()).as("decoded pictures").isEqualTo(pictures);
    assertThat(Files.readAllBytes(audio)).as("AAC frames").isEqualTo(Files.readAllBytes(sourceAudio));
  }


  /**
   * ffmpeg 8 publishes H.264 with G.711 µ-law over RTMP (FLV's SoundFormat 8: what a camera's audio pulled over RTSP
   * becomes here); an RTSP player (ffmpeg 8) that asks once the stream is live is described PCMU (payload type 0) and
   * gets 3 s of samples as they were sent: a run of what ffmpeg's µ-law encoder made of the file's audio.
   */
  @Test
  void g711AudioReachesAnRtspPlayerAsPcmuSampleForSample() throws Exception {
    String key = "rtsp-g711";
    Path media = TestMedia.audioVideo(8, 2);
    Path source = Clients.output(key + "-source.ulaw");
    Ffmpeg.run(key + "-source-audio", List.of("-i", media.toString(), "-map", "0:a", "-c:a", "pcm_mulaw", "-ar",
        "8000", "-ac", "1", "-f", "mulaw", "-y", source.toString()), 60);
    processes.own(Ffmpeg.start(key + "-publisher", List.of("-re", "-i", media.toString(), "-c:v", "copy",
        "-c:a", "pcm_mulaw", "-ar", "8000", "-ac", "1", "-f", "flv", node.rtmpUrl(key))));
    // Its audio known (G.711 has no header: its first frame came), as a camera pulled before any viewer is.
    Await.until("the stream's G.711 audio", Duration.ofSeconds(20), () -> Http.get(node.httpUrl("/api/v1/streams/live/"
        + key)).body().contains("\"audio\":{\"codec\":\"G711U 8000 Hz 1 ch\"}"));
    Path audio = Clients.output(key + "-player.ulaw");
    Ffmpeg.run(key + "-player", List.of("-i", node.rtspUrl("live", key), "-t", "3", "-map", "0:a", "-c", "copy",
        "-f", "mulaw", "-y", audio.toString()), 30);
    assertThat(Files.readString(Path.of("target", "ffmpeg-logs", key + "-player.log")))
        .contains("Audio: pcm_mulaw, 8000 Hz, mono");
    String sent = new String(Files.readAllBytes(source), StandardCharsets.ISO_8859_1);
    String received = new String(Files.readAllBytes(audio), StandardCharsets.ISO_8859_1);
    int at = sent.indexOf(received);
    System.out.printf("G.711 to an RTSP player: %d bytes of samples, from byte %d of the file's %d%n",
        received.length(), at, sent.length());
    assertThat(received.length()).as("samples of 3 s").isBetween(20_000, 26_000);
    assertThat(at).as("the samples a run of the file's").isNotNegative();
  }

  /**
   * The same publish, the RTSP player asking first: its DESCRIBE waits for the stream, and past the first video
   * frame for the first G.711 one (which has no header to wait for), so the player is described PCMU and gets
   * the samples from the publish's start.
   */
  @Test
  void g711AudioReachesAnRtspPlayerWhoAskedBeforeThePublisherCame() throws Exception {
    String key = "rtsp-g711-first";
    Path media = TestMedia.audioVideo(8, 2);
    Path audio = Clients.output(key + "-player.ulaw");
    Process player = processes.own(Ffmpeg.start(key + "-player", List.of("-i", node.rtspUrl("live", key), "-t", "3",
        "-map", "0:a", "-c", "copy", "-f", "mulaw", "-y", audio.toString())));
    node.awaitSubscribers(key, 1); // its DESCRIBE's probe of the stream's tracks
    processes.own(Ffmpeg.start(key + "-publisher", List.of("-re", "-i", media.toString(), "-c:v", "copy",
        "-c:a", "pcm_mulaw", "-ar", "8000", "-ac", "1", "-f", "flv", node.rtmpUrl(key))));
    Ffmpeg.awaitSuccess(key + "-player", player, 30);
    assertThat(Files.readString(Path.of("target", "ffmpeg-logs", key + "-player.log")))
        .contains("Audio: pcm_mulaw, 8000 Hz, mono");
    assertThat(Files.size(audio)).as("samples of 3 s").isBetween(20_000L, 26_000L);
  }

  @Test
  void gstreamerRtspsrcPlaysALivePublish() throws Exception {
    processes.own(Clients.publishLooping("rtsp-gst-publisher", TestMedia.audioVideo(6, 1),
        node.rtmpUrl("rtsp-gst")));
    node.awaitPublisher("rtsp-gst");
    processes.own(Gstreamer.play("rtsp-gst-player", node.rtspUrl("live", "rtsp-gst")));
    Await.until("100 frames shown by GStreamer", Duration.ofSeconds(30),
        () -> Gstreamer.rendered("rtsp-gst-player")[0] >= 100);
  }

  @Test
  void debianFfmpegPlaysOverTcpAndTheApiListsAndKicksThePlayer() throws Exception {
    processes.own(Clients.publishLooping("rtsp-api-publisher", TestMedia.audioVideo(6, 1), node.rtmpUrl("rtsp-api")));
    node.awaitPublisher("rtsp-api");
    Path out = Clients.output("rtsp-api-player.framemd5");
    Process player = processes.own(Ffmpeg.startDebian("rtsp-api-player", List.of("-rtsp_transport", "tcp",
        "-i", node.rtspUrl("live", "rtsp-api"), "-map", "0", "-c", "copy", "-f", "framemd5", "-y", out.toString())));
    JsonObject[] found = new JsonObject[1];
    Await.until("the RTSP player listed with bytes out", Duration.ofSeconds(15), () -> {
      JsonArray clients = new JsonObject(Http.get(node.httpUrl("/api/v1/clients")).body()).getJsonArray("clients");
      found[0] = clients.stream().map(JsonObject.class::cast)
          .filter(c -> "rtsp".equals(c.getString("protocol"))).findFirst().orElse(null);
      return found[0] != null && found[0].getLong("bytesOut") > 500_000;
    });
    assertThat(found[0].getString("role")).isEqualTo("player");
    assertThat(found[0].getJsonObject("stream")).isEqualTo(new JsonObject().put("app", "live").put("key", "rtsp-api"));
    JsonObject stream = new JsonObject(Http.get(node.httpUrl("/api/v1/streams/live/rtsp-api")).body());
    assertThat(stream.getJsonObject("viewers").getInteger("rtsp")).as(stream.encode()).isEqualTo(1);
    assertThat(node.scrape().value("streamedge_players", "protocol", "rtsp")).isEqualTo(1);

    assertThat(Http.delete(node.httpUrl("/api/v1/clients/" + found[0].getLong("id"))).statusCode()).isEqualTo(204);
    assertThat(player.waitFor(15, TimeUnit.SECONDS)).as("the kicked player ends").isTrue();
    FrameHashes played = FrameHashes.parse(out);
    assertThat(played.video()).as("video packets before the kick").hasSizeGreaterThan(25);
    assertThat(played.audio()).as("audio packets before the kick").hasSizeGreaterThan(40);
  }
}
