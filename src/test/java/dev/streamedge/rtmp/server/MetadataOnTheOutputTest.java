package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FlvViewer;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What players get of a publisher's {@code onMetaData}: each change once, at time 0 wherever it falls in the
 * stream, as nginx-rtmp sends it. FFmpeg's FLV demuxer, which ffplay, VLC and most recorders read RTMP and
 * HTTP-FLV with, takes script data at a later time for a data stream of its own ("text"), on which
 * {@code ffmpeg -i <url> -map 0 -c copy out.mp4} fails.
 */
@Tag("e2e")
class MetadataOnTheOutputTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aRepeatOfTheLastMetadataIsLeftOutAndEachChangeGoesOutAtTimeZero() throws Exception {
    try (TestNode node = TestNode.start(); RawRtmp publisher = RawRtmp.publishing(node.rtmpPort(), "updates")) {
      FlvViewer viewer = FlvViewer.open(node.httpUrl("/live/updates.flv"));
      try {
        MetadataFloodTest.awaitFlvViewers(node, "updates", 1);
        // One, the same again, a change, the same twice, and the first again: four differ from the one before.
        int[] updates = {1, 1, 2, 2, 2, 1, 3};
        for (int i = 0; i < updates.length; i++) {
          publisher.send(MetadataFloodTest.metadataMessage(1000 + 40L * i, "x", updates[i]));
        }
        // The messages keep their order on the way: once the last has come, every one before it would have.
        Await.until("the last update at the viewer", Duration.ofSeconds(10), () -> !viewer.scripts().isEmpty()
            && update(viewer.scripts().get(viewer.scripts().size() - 1)) == 3);
        assertThat(viewer.scripts().stream().map(MetadataOnTheOutputTest::update).toList())
            .as("updates at the viewer").containsExactly(1, 2, 1, 3);
        assertThat(viewer.scripts()).extracting(FlvViewer.ScriptTag::timestamp).as("their FLV times").containsOnly(0L);
        assertThat(node.scrape().value("streamedge_publisher_data_dropped_total", "protocol", "rtmp"))
            .as("script data dropped").isZero();
      } finally {
        viewer.close();
      }
    }
  }

  /** A publisher that reconnects (OBS after a network cut) while a viewer stays: the stream lives on. */
  @Test
  void aPlayerAfterThePublisherReconnectedFindsOnlyVideoAndAudioAndRecordsThemToMp4() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    try (TestNode node = TestNode.start()) {
      Process first = processes.own(Clients.publish("reconnect-first", media, node.rtmpUrl("again")));
      node.awaitPublisher("again");
      FlvViewer staying = FlvViewer.open(node.httpUrl("/live/again.flv"));
      try {
        Ffmpeg.awaitSuccess("reconnect-first", first, 60);
        processes.own(Clients.publishLooping("reconnect-second", media, node.rtmpUrl("again")));
        node.awaitPublisher("again");
        assertThat(streams("reconnect-rtmp", node.rtmpUrl("again"))).containsExactly("h264,video", "aac,audio");
        assertThat(streams("reconnect-flv", node.httpUrl("/live/again.flv"))).containsExactly("h264,video", "aac,audio");
        Path mp4 = Clients.output("reconnect-every-stream.mp4");
        Ffmpeg.run("reconnect-every-stream", List.of("-i", node.rtmpUrl("again"), "-map", "0", "-c", "copy", "-t", "2",
            "-y", mp4.toString()), 60);
        assertThat(streams("reconnect-mp4", mp4.toString())).containsExactly("h264,video", "aac,audio");
        assertThat(staying.video()).as("the staying viewer's frames").isNotEmpty();
      } finally {
        staying.close();
      }
    }
  }

  /** The streams ffprobe finds at {@code url}, each as "codec,type" ("h264,video"), in order. */
  static List<String> streams(String name, String url) throws Exception {
    Ffmpeg.awaitSuccess(name, Ffmpeg.startProbe(name, List.of("-v", "error", "-show_entries",
        "stream=codec_name,codec_type", "-of", "csv=p=0", url)), 60);
    return Ffmpeg.logTail(name).strip().lines().toList();
  }

  /** The "update" property of an {@code onMetaData} tag. */
  private static int update(FlvViewer.ScriptTag tag) {
    List<Object> values;
    try {
      values = Amf0.decodeAll(Unpooled.wrappedBuffer(tag.body()));
    } catch (ProtocolException e) {
      throw new AssertionError("a script tag that is not AMF0", e);
    }
    assertThat(values.get(0)).isEqualTo("onMetaData");
    return ((Double) ((Map<?, ?>) values.get(1)).get("update")).intValue();
  }
}
