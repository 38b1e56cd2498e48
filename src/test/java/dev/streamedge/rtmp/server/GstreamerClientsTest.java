package dev.streamedge.rtmp.server;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GStreamer, a client family of its own (its RTMP in rtmp2sink and rtmp2src, its FLV and HLS demuxers), as
 * publisher and player: the encoder boxes and media pipelines built on it publish and play like OBS and
 * ffmpeg do.
 */
@Tag("e2e")
class GstreamerClientsTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void gstreamerPublishesEveryFrameAndGstreamerPlaysEveryFrameBack() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Path saved = Clients.output("gstreamer-saved.flv");
    try (TestNode node = TestNode.start()) {
      Process player = processes.own(Gstreamer.saveRtmp("gstreamer-player", node.rtmpUrl("gst-file"), saved));
      node.awaitSubscribers("gst-file", 1);
      Process publisher = processes.own(Gstreamer.publishFile("gstreamer-publisher", media, node.rtmpUrl("gst-file")));
      assertThat(publisher.waitFor(60, TimeUnit.SECONDS)).as("the publisher ended").isTrue();
      assertThat(publisher.exitValue()).as(Gstreamer.logTail("gstreamer-publisher")).isZero();
      // rtmp2src ends at the stream's unpublish.
      assertThat(player.waitFor(20, TimeUnit.SECONDS)).as("the player ended").isTrue();
    }
    Path hashes = Clients.output("gstreamer-saved.framemd5");
    Ffmpeg.run("gstreamer-saved-framemd5", List.of("-i", saved.toString(), "-map", "0", "-c", "copy", "-f",
        "framemd5", "-y", hashes.toString()), 30);
    FrameHashes received = FrameHashes.parse(hashes);
    // rtmp2src holds one message at a time for its streaming thread and ends its connection task at the
    // stream's StreamEOF, clearing a message the streaming thread had not taken yet (gstrtmp2src.c:
    // got_message, control_callback, the task's cleanup): on a busy machine the last message published may
    // be missing from its file. Every other message must be there, in order.
    FrameHashes expected = published.withoutLastIfShort(received);
    assertThat(received.video()).as("video").isEqualTo(expected.video());
    assertThat(received.audio()).as("audio").isEqualTo(expected.audio());
  }

  /**
   * A GStreamer encoder sends its metadata again and again (flvmux, at every tag event): none of it is
   * dropped as a flood, and ffmpeg's players find the video and the audio and nothing else.
   */
  @Test
  void aGstreamerEncoderLosesNoMetadataAndFfmpegFindsOnlyItsVideoAndAudio() throws Exception {
    try (TestNode node = TestNode.start()) {
      processes.own(Gstreamer.publishLive("gstreamer-encoder", node.rtmpUrl("gst-live"), 30));
      node.awaitPublisher("gst-live");
      assertThat(MetadataOnTheOutputTest.streams("gstreamer-encoder-rtmp", node.rtmpUrl("gst-live")))
          .containsExactly("h264,video", "aac,audio");
      assertThat(MetadataOnTheOutputTest.streams("gstreamer-encoder-flv", node.httpUrl("/live/gst-live.flv")))
          .containsExactly("h264,video", "aac,audio");
      assertThat(node.scrape().value("streamedge_publisher_data_dropped_total", "protocol", "rtmp"))
          .as("script data dropped").isZero();
    }
  }

  @Test
  void gstreamerPlaysLowLatencyHlsMpegTsHlsHttpFlvAndRtmp() throws Exception {
    try (TestNode node = TestNode.start()) {
      processes.own(Clients.publishLooping("gstreamer-source", TestMedia.audioVideo(4, 1), node.rtmpUrl("gst-play")));
      node.awaitPublisher("gst-play");
      Await.until("the LL-HLS playlist", Duration.ofSeconds(20),
          () -> Http.get(node.httpUrl("/hls/gst-play.m3u8")).statusCode() == 200);
      Map<String, String> players = new LinkedHashMap<>();
      players.put("gstreamer-ll-hls", node.httpUrl("/hls/gst-play.m3u8"));
      players.put("gstreamer-ts-hls", node.httpUrl("/hls/live/gst-play/ts.m3u8"));
      players.put("gstreamer-http-flv", node.httpUrl("/live/gst-play.flv"));
      players.put("gstreamer-rtmp", node.rtmpUrl("gst-play"));
      for (Map.Entry<String, String> player : players.entrySet()) {
        processes.own(Gstreamer.play(player.getKey(), player.getValue()));
      }
      // 100 frames are 4 s of the 25 fps source: each player kept decoding, not only a first GOP.
      for (String player : players.keySet()) {
        try {
          Await.until(player + " showing 100 frames", Duration.ofSeconds(30),
              () -> Gstreamer.rendered(player)[0] >= 100);
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + ", " + Gstreamer.rendered(player)[0] + " shown:\n"
              + Gstreamer.logTail(player), e);
        }
      }
    }
  }
}
