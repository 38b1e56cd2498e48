package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code transcode.on-demand}: no ffmpeg at publish; the first master playlist request starts one and is
 * answered with the ladder; an RTMP player of a rendition starts one too and gets the rendition; with
 * nobody asking, it stops after {@code transcode.linger}.
 */
@Tag("e2e")
@Tag("timing")
class TranscodeOnDemandTest {

  @RegisterExtension
  final TestNode node = TestNode.extension("--transcode.apps=live", "--transcode.ladder=120p=160x120@150k",
      "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG, "--transcode.on-demand=true", "--transcode.linger=2s",
      "--hls.on-demand-apps=live", "--hls.idle-timeout=2s");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theMasterPlaylistRequestStartsTheTranscoderAndSilenceStopsIt() throws Exception {
    processes.own(Clients.publishLooping("od-master-publisher", TestMedia.oddGop(16), node.rtmpUrl("om")));
    Await.until("the source live", Duration.ofSeconds(10), () -> Http.get(node.httpUrl("/api/v1/streams/live/om"))
        .statusCode() == 200);
    // A publish alone starts nothing: 2 s is as long as an at-publish transcoder took to show here.
    Thread.sleep(2000);
    assertThat(transcoders()).isEmpty();

    long asked = System.nanoTime();
    String master = Http.get(node.httpUrl("/hls/om.m3u8")).body();
    System.out.printf("first master playlist in %.2f s:%n%s", (System.nanoTime() - asked) / 1e9, master);
    assertThat(master).contains("RESOLUTION=160x120", "\nlive/om_120p/ll.m3u8\n", "\nlive/om/ll.m3u8\n");
    assertThat(transcoders()).hasSize(1);

    // Nobody asks any more: the linger (2 s), the rendition's HLS idle (2 s), and the check period.
    Await.until("the transcoder stopped", Duration.ofSeconds(15), () -> transcoders().isEmpty());
  }

  @Test
  void aPlayerOfARenditionStartsTheTranscoder() throws Exception {
    processes.own(Clients.publishLooping("od-play-publisher", TestMedia.oddGop(16), node.rtmpUrl("op")));
    Await.until("the source live", Duration.ofSeconds(10), () -> Http.get(node.httpUrl("/api/v1/streams/live/op"))
        .statusCode() == 200);
    assertThat(transcoders()).isEmpty();
    Path out = Clients.output("od-play-" + ProcessHandle.current().pid() + ".flv");
    Process player = processes.own(Ffmpeg.start("od-player", List.of("-i", node.rtmpUrl("op_120p"), "-t", "3",
        "-map", "0", "-c", "copy", "-f", "flv", "-y", out.toString())));
    Ffmpeg.awaitSuccess("od-player", player, 30);
    RenditionFiles.Picture picture = RenditionFiles.picture(out);
    assertThat(picture.width()).isEqualTo(160);
    assertThat(picture.height()).isEqualTo(120);
    Await.until("the transcoder stopped after its player left", Duration.ofSeconds(15),
        () -> transcoders().isEmpty());
  }

  private JsonArray transcoders() throws Exception {
    Thread.sleep(100);
    return new JsonObject(Http.get(node.httpUrl("/api/v1/transcoders")).body()).getJsonArray("transcoders");
  }
}
