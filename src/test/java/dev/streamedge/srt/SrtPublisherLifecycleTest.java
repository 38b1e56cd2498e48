package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An SRT publisher as operators and players see it: listed by the API with protocol srt and ended by its kick
 * (the caller hears a shutdown and gives up); a caller that goes silent (stopped, as a dead encoder or a cut
 * link) is dropped after {@code srt.peer-idle-timeout} and its players told the stream ended, and the key is
 * free for the next caller; an H.265 publish plays over RTMP as Enhanced RTMP and to an SRT player as HEVC in TS.
 */
@Tag("e2e")
class SrtPublisherLifecycleTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension("--srt.peer-idle-timeout=2s");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  private Process liveCaller(String name, String streamId, String videoCodec, int seconds) throws Exception {
    return processes.own(Ffmpeg.start(name, List.of("-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds),
        "-c:v", videoCodec, "-preset", "veryfast", "-g", "25", "-c:a", "aac", "-f", "mpegts",
        node.srtUrl(streamId, ""))));
  }

  @Test
  void theApiListsAnSrtPublisherAndItsKickEndsTheCaller() throws Exception {
    Process caller = liveCaller("srt-kicked", "publish:live/srt-kicked", "libx264", 60);
    node.awaitPublisher("srt-kicked");
    JsonObject[] found = new JsonObject[1];
    Await.until("the SRT publisher listed with bytes in", Duration.ofSeconds(10), () -> {
      JsonArray clients = new JsonObject(Http.get(node.httpUrl("/api/v1/clients")).body()).getJsonArray("clients");
      found[0] = clients.stream().map(JsonObject.class::cast)
          .filter(c -> "srt".equals(c.getString("protocol"))).findFirst().orElse(null);
      return found[0] != null && found[0].getLong("bytesIn") > 0;
    });
    JsonObject publisher = found[0];
    assertThat(publisher.getString("role")).isEqualTo("publisher");
    assertThat(publisher.getJsonObject("stream")).isEqualTo(new JsonObject().put("app", "live").put("key", "srt-kicked"));

    assertThat(Http.delete(node.httpUrl("/api/v1/clients/" + publisher.getLong("id"))).statusCode()).isEqualTo(204);
    assertThat(caller.waitFor(15, TimeUnit.SECONDS)).as("the kicked caller gives up").isTrue();
    Await.until("no SRT connection", Duration.ofSeconds(5), () -> node.node().registry()
        .info(new dev.streamedge.stream.StreamKey("live", "srt-kicked")).toCompletionStage().toCompletableFuture()
        .get().map(info -> info.publisher() == null).orElse(true));
  }

  @Test
  void aSilentCallerIsDroppedAfterTheIdleTimeoutAndItsKeyIsFreeAgain() throws Exception {
    Path out = Clients.output("srt-silent-player.framemd5");
    Process player = processes.own(Clients.playToHashes("srt-silent-player", node.rtmpUrl("srt-silent"), out));
    node.awaitSubscribers("srt-silent", 1);
    double before = node.scrape().value("streamedge_srt_packets_received_total");
    Process caller = liveCaller("srt-silent", "publish:live/srt-silent", "libx264", 60);
    node.awaitPublisher("srt-silent");
    // Media flowing for a while first: 100 packets are more than a second of this stream.
    Await.until("100 packets of the caller", Duration.ofSeconds(20),
        () -> node.scrape().value("streamedge_srt_packets_received_total") - before >= 100);
    ProcessHandle handle = caller.toHandle();
    new ProcessBuilder("kill", "-STOP", Long.toString(handle.pid())).start().waitFor();
    long stopped = System.nanoTime();
    // The player ends on NetStream.Play.UnpublishNotify once the node has given up on the caller.
    Ffmpeg.awaitSuccess("srt-silent-player", player, 20);
    long endedMillis = (System.nanoTime() - stopped) / 1_000_000;
    assertThat(endedMillis).as("ms from the caller's stop to the publish's end").isBetween(1900L, 5000L);
    assertThat(FrameHashes.parse(out).video()).as("frames before the stop").hasSizeGreaterThan(25);
    new ProcessBuilder("kill", "-KILL", Long.toString(handle.pid())).start().waitFor();

    Process next = liveCaller("srt-silent-next", "publish:live/srt-silent", "libx264", 60);
    node.awaitPublisher("srt-silent");
    ChildProcesses.stop(next);
  }

  @Test
  void anH265PublishPlaysOverRtmpAsEnhancedRtmpAndOverSrt() throws Exception {
    Path out = Clients.output("srt-hevc-player.framemd5");
    Process player = processes.own(Clients.playToHashes("srt-hevc-player", node.rtmpUrl("srt-hevc"), out));
    Path srtOut = Clients.output("srt-hevc-srt-player.framemd5");
    Process srtPlayer = processes.own(Ffmpeg.startDebian("srt-hevc-srt-player", List.of("-i",
        node.srtUrl("read:live/srt-hevc", ""), "-map", "0", "-c", "copy", "-f", "framemd5", "-y", srtOut.toString())));
    node.awaitSubscribers("srt-hevc", 2);
    Process caller = liveCaller("srt-hevc", "publish:live/srt-hevc", "libx265", 6);
    Ffmpeg.awaitSuccess("srt-hevc", caller, 60);
    Ffmpeg.awaitSuccess("srt-hevc-player", player, 20);
    Ffmpeg.awaitSuccess("srt-hevc-srt-player", srtPlayer, 20);
    assertThat(Ffmpeg.logTail("srt-hevc-player")).contains("hevc");
    assertThat(Ffmpeg.logTail("srt-hevc-srt-player")).contains("Video: hevc");
    // 150 frames sent; ffmpeg 8's libsrt leaves the last few packets unsent at its close (SrtIngestTest).
    for (Path played : List.of(out, srtOut)) {
      FrameHashes received = FrameHashes.parse(played);
      assertThat(received.video()).as("H.265 frames in " + played).hasSizeGreaterThan(130);
      assertThat(received.audio()).as("AAC frames in " + played).hasSizeGreaterThan(250);
    }
  }
}
