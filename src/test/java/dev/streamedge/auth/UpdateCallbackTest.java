package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's on_update: the service is asked about each publish and RTMP or FLV play every
 * {@code auth.callback.update-interval} with its time so far, and its first answer other than 2xx ends that
 * session alone; asking stops with the session.
 */
@Tag("e2e")
class UpdateCallbackTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aSessionTheUpdateCallbackNoLongerAllowsEndsAndTheOthersGoOn() throws Exception {
    // Players of "cut" are refused at their first update; the publisher of "cut" at its third second.
    try (CallbackServer service = CallbackServer.start(call -> switch (call.field("call")) {
      case "update_play" -> call.field("name").equals("cut") ? 403 : 200;
      case "update_publish" -> call.field("name").equals("cut") && Long.parseLong(call.field("time")) >= 2 ? 403 : 200;
      default -> 200;
    }); LogLines logs = LogLines.capture()) {
      Path media = TestMedia.audioVideo(4, 1);
      try (TestNode node = TestNode.start("--auth.callback.on-update=" + service.url("/on_update"),
          "--auth.callback.update-interval=1s")) {
        Process cutPublisher = processes.own(Clients.publishLooping("update-publisher-cut", media,
            node.rtmpUrl("cut?token=abc")));
        Process keptPublisher = processes.own(Clients.publishLooping("update-publisher-kept", media,
            node.rtmpUrl("kept")));
        node.awaitPublisher("cut");
        node.awaitPublisher("kept");
        Process rtmpPlayer = processes.own(Ffmpeg.start("update-player-rtmp",
            List.of("-i", node.rtmpUrl("cut"), "-c", "copy", "-f", "null", "-")));
        Process flvPlayer = processes.own(Ffmpeg.start("update-player-flv",
            List.of("-i", node.httpUrl("/live/cut.flv"), "-c", "copy", "-f", "null", "-")));
        Process keptPlayer = processes.own(Ffmpeg.start("update-player-kept",
            List.of("-i", node.httpUrl("/live/kept.flv"), "-c", "copy", "-f", "null", "-")));

        assertThat(rtmpPlayer.waitFor(10, TimeUnit.SECONDS)).as("the RTMP player of cut ended").isTrue();
        assertThat(flvPlayer.waitFor(10, TimeUnit.SECONDS)).as("the HTTP-FLV player of cut ended").isTrue();
        assertThat(cutPublisher.waitFor(10, TimeUnit.SECONDS)).as("the publisher of cut ended").isTrue();
        assertThat(keptPublisher.isAlive()).as("the publisher of kept").isTrue();
        assertThat(keptPlayer.isAlive()).as("the player of kept").isTrue();

        List<CallbackServer.Call> publishUpdates = service.calls("update_publish", "live", "cut");
        assertThat(publishUpdates).extracting(call -> call.field("time")).startsWith("1", "2");
        CallbackServer.Call first = publishUpdates.get(0);
        assertThat(first.field("proto")).isEqualTo("rtmp");
        assertThat(first.field("addr")).isEqualTo("127.0.0.1");
        assertThat(first.field("token")).as("the publish's own query").isEqualTo("abc");
        assertThat(service.calls("update_play", "live", "cut")).extracting(call -> call.field("proto"))
            .contains("rtmp", "http-flv");
        assertThat(logs.matching("update_publish ended .* stream=live/cut .*on_update answered status 403"))
            .hasSize(1);
        // Asking stops with the session: no update of cut's publish after it ended.
        int asked = service.calls("update_publish", "live", "cut").size();
        int keptAsked = service.calls("update_publish", "live", "kept").size();
        Await.until("two more updates of kept", Duration.ofSeconds(5),
            () -> service.calls("update_publish", "live", "kept").size() >= keptAsked + 2);
        assertThat(service.calls("update_publish", "live", "cut")).hasSize(asked);
      }
    }
  }
}
