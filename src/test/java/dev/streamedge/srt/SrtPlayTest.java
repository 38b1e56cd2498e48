package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Gstreamer;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LossyUdpForwarder;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import dev.streamedge.testing.Vlc;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real SRT callers play what an RTMP publisher sends ({@code read:live/key} in the stream id, as MediaMTX and
 * SRS take it): Debian's ffmpeg 5.1 (libsrt 1.5.1) has every frame of the published file, from the first to
 * the last (the decoded pictures, the AAC frames' bytes), H.264 or HEVC, also through a hop that loses 5% of the datagrams
 * each way (so the node sends again what the caller reports lost), and through one that loses the node's first
 * answer to the caller's conclusion; ffmpeg 8 plays with SRS's stream id;
 * GStreamer's srtsrc and VLC play a live publish; the API lists an SRT player and counts it among the
 * stream's viewers, and its kick ends the caller.
 */
@Tag("e2e")
class SrtPlayTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension();
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void ffmpegDecodesEveryFrameOfAnRtmpPublishOverSrt() throws Exception {
    assertEveryFramePlays("srt-play", node.srtPort(), "direct", TestMedia.audioVideo(6, 2));
  }

  @Test
  void ffmpegDecodesEveryFrameOfAnHevcPublishOverSrt() throws Exception {
    // ffmpeg 8 publishes x265 with B-frames in Enhanced RTMP; the player reads stream_type 0x24.
    assertEveryFramePlays("srt-play-hevc", node.srtPort(), "direct", TestMedia.enhanced("hevc", "aac", 6));
    assertThat(Ffmpeg.logTail("srt-play-hevc-player")).contains("Video: hevc");
  }

  @Test
  void aHopLosingFivePercentEachWayLosesNoFrame() throws Exception {
    double before = node.scrape().value("streamedge_srt_packets_resent_total");
    try (LossyUdpForwarder hop = new LossyUdpForwarder(node.srtPort(), 0.05, 0.05, new Random().nextLong())) {
      assertEveryFramePlays("srt-play-lossy", hop.port(), hop.toString(), TestMedia.audioVideo(6, 2));
      assertThat(hop.droppedDown()).as("datagrams the hop dropped on the way to the player").isGreaterThan(10);
    }
    assertThat(node.scrape().value("streamedge_srt_packets_resent_total") - before)
        .as("packets sent again").isGreaterThan(10);
  }

  /**
   * The caller takes the answer's timestamp as this side's start, and a lost answer is sent again for the
   * caller's repeated conclusion (libsrt repeats it every 250 ms): stamped with its first time, it would make the
   * caller play everything that much later than the node reckons, and the shutdown after the publish would cut
   * off the last quarter second.
   */
  @Test
  void aPlayerWhoseFirstAnswerWasLostStillGetsTheLastFrame() throws Exception {
    try (LossyUdpForwarder hop = new LossyUdpForwarder(node.srtPort(), 0, 0, 0).droppingServerDatagram(2)) {
      assertEveryFramePlays("srt-play-answer-lost", hop.port(), "the first conclusion answer lost",
          TestMedia.audioVideo(6, 2));
      assertThat(hop.droppedDown()).as("datagrams the hop dropped on the way to the player").isEqualTo(1);
    }
  }

  /**
   * An SRT player (Debian's ffmpeg) waits on {@code key}, an RTMP publisher sends a file, and the player has
   * every frame of it to the last: the decoded pictures are the file's, MD5 for MD5, and the AAC frames the
   * file's byte for byte (written out as ADTS by ffmpeg on both sides). Decoded audio is not compared: ffmpeg's
   * command line hands the decoder's output on by timestamps, which MPEG-TS's 90 kHz clock and FLV's
   * milliseconds round apart, and a fifth of the decoded frames then hashed differently from the same AAC
   * bytes. The publish's end shuts the caller down only once it acknowledged everything and had the latency
   * to play it.
   */
  private void assertEveryFramePlays(String key, int port, String via, Path media) throws Exception {
    List<String> pictures = FrameHashes.decodedPictures(key + "-source", media.toString());
    Path sourceAudio = Clients.output(key + "-source.aac");
    Ffmpeg.run(key + "-source-audio", List.of("-i", media.toString(), "-map", "0:a", "-c", "copy", "-f", "adts", "-y",
        sourceAudio.toString()), 60);
    Path video = Clients.output(key + "-player.framemd5");
    Path audio = Clients.output(key + "-player.aac");
    Process player = processes.own(Ffmpeg.startDebian(key + "-player", List.of("-i",
        "srt://127.0.0.1:" + port + "?streamid=read:live/" + key, "-map", "0:v", "-f", "framemd5", "-y",
        video.toString(), "-map", "0:a", "-c", "copy", "-f", "adts", "-y", audio.toString())));
    node.awaitSubscribers(key, 1);
    Process publisher = processes.own(Clients.publish(key + "-publisher", media, node.rtmpUrl(key)));
    Ffmpeg.awaitSuccess(key + "-publisher", publisher, 60);
    Ffmpeg.awaitSuccess(key + "-player", player, 30);
    assertThat(FrameHashes.parse(video).video()).as("decoded pictures, " + via).isEqualTo(pictures);
    assertThat(Files.readAllBytes(audio)).as("AAC frames, " + via).isEqualTo(Files.readAllBytes(sourceAudio));
  }


  @Test
  void ffmpeg8PlaysWithAnSrsStreamIdAndTheApiListsAndKicksThePlayer() throws Exception {
    processes.own(Clients.publishLooping("srt-api-publisher", TestMedia.audioVideo(6, 1), node.rtmpUrl("srt-api")));
    node.awaitPublisher("srt-api");
    Path out = Clients.output("srt-api-player.framemd5");
    Process player = processes.own(Ffmpeg.start("srt-api-player", List.of("-i",
        node.srtUrl("#!::r=live/srt-api,m=request", ""), "-map", "0", "-c", "copy", "-f", "framemd5", "-y",
        out.toString())));
    JsonObject[] found = new JsonObject[1];
    Await.until("the SRT player listed with bytes out", Duration.ofSeconds(15), () -> {
      JsonArray clients = new JsonObject(Http.get(node.httpUrl("/api/v1/clients")).body()).getJsonArray("clients");
      found[0] = clients.stream().map(JsonObject.class::cast)
          .filter(c -> "srt".equals(c.getString("protocol"))).findFirst().orElse(null);
      return found[0] != null && found[0].getLong("bytesOut") > 500_000;
    });
    assertThat(found[0].getString("role")).isEqualTo("player");
    assertThat(found[0].getJsonObject("stream")).isEqualTo(new JsonObject().put("app", "live").put("key", "srt-api"));
    JsonObject stream = new JsonObject(Http.get(node.httpUrl("/api/v1/streams/live/srt-api")).body());
    assertThat(stream.getJsonObject("viewers").getInteger("srt")).as(stream.encode()).isEqualTo(1);

    assertThat(Http.delete(node.httpUrl("/api/v1/clients/" + found[0].getLong("id"))).statusCode()).isEqualTo(204);
    assertThat(player.waitFor(15, TimeUnit.SECONDS)).as("the kicked caller ends").isTrue();
    FrameHashes played = FrameHashes.parse(out);
    assertThat(played.video()).as("video packets before the kick").hasSizeGreaterThan(25);
    assertThat(played.audio()).as("audio packets before the kick").hasSizeGreaterThan(40);
  }

  @Test
  void vlcPlaysALivePublishOverSrt() throws Exception {
    processes.own(Clients.publishLooping("srt-vlc-publisher", TestMedia.audioVideo(6, 1), node.rtmpUrl("srt-vlc")));
    node.awaitPublisher("srt-vlc");
    // VLC 3.0's SRT access module (Debian's vlc-plugin-access-extra) takes the stream id from the URL.
    Process vlc = processes.own(Vlc.start("srt-vlc-player", node.srtUrl("read:live/srt-vlc", ""), 6));
    assertThat(vlc.waitFor(30, TimeUnit.SECONDS)).as("VLC ends after its run time").isTrue();
    List<String> packets = Vlc.receivedPackets("srt-vlc-player");
    assertThat(packets.stream().filter("video"::equals).count()).as("video packets VLC received in 6 s")
        .isGreaterThan(4 * 25);
    assertThat(packets.stream().filter("audio"::equals).count()).as("audio packets VLC received in 6 s")
        .isGreaterThan(4 * 43);
  }

  @Test
  void gstreamerSrtsrcPlaysALivePublish() throws Exception {
    processes.own(Clients.publishLooping("srt-gst-play-publisher", TestMedia.audioVideo(6, 1),
        node.rtmpUrl("srt-gst-play")));
    node.awaitPublisher("srt-gst-play");
    processes.own(Gstreamer.play("srt-gst-play-player",
        "srt://127.0.0.1:" + node.srtPort() + "?streamid=read:live/srt-gst-play"));
    Await.until("100 frames shown by GStreamer", Duration.ofSeconds(30),
        () -> Gstreamer.rendered("srt-gst-play-player")[0] >= 100);
  }
}
