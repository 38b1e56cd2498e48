package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's {@code /control/record/start} and {@code /stop}: a stream of an app that is not recorded
 * is recorded from the start to the stop asked for, into a file ffmpeg plays; a second start or stop is
 * answered empty, and a stream nobody publishes is refused.
 */
@Tag("e2e")
class RecordControlTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aStartAndAStopRecordTheStreamBetweenThemAndAnswerTheFilesPath() throws Exception {
    Path dir = Files.createTempDirectory("record-control");
    Path media = TestMedia.audioVideo(5, 1);
    try (TestNode node = TestNode.start("--record.path=" + dir)) {
      String start = node.httpUrl("/control/record/start?app=live&name=ctl");
      String stop = node.httpUrl("/control/record/stop?app=live&name=ctl&rec=rec1");
      HttpResponse<String> nobody = Http.get(start);
      assertThat(nobody.statusCode()).isEqualTo(400);
      assertThat(nobody.body()).isEqualTo("No publisher");

      Process publisher = processes.own(Clients.publish("record-control-publisher", media, node.rtmpUrl("ctl")));
      node.awaitPublisher("ctl");
      HttpResponse<String> started = Http.get(start);
      assertThat(started.statusCode()).isEqualTo(200);
      Path file = Path.of(started.body());
      assertThat(file).as("answered once open").isAbsolute().startsWith(dir.toAbsolutePath()).hasExtension("flv")
          .exists();
      assertThat(Http.get(start).body()).as("a second start: recording already").isEmpty();
      Await.until("two seconds recorded", Duration.ofSeconds(10), () -> Files.size(file) > 200_000);

      HttpResponse<String> stopped = Http.get(stop);
      assertThat(stopped.statusCode()).isEqualTo(200);
      assertThat(stopped.body()).isEqualTo(file.toString());
      assertThat(Http.get(stop).body()).as("a second stop: not recording").isEmpty();
      Await.until("the file listed as complete", Duration.ofSeconds(10), () -> new JsonObject(
          Http.get(node.httpUrl("/api/v1/recordings")).body()).getJsonArray("recordings").stream()
          .map(JsonObject.class::cast).anyMatch(r -> file.getFileName().toString().endsWith(
              r.getString("name").substring(r.getString("name").indexOf('/') + 1)) && !r.getBoolean("writing")));
      Ffmpeg.awaitSuccess("record-control-publisher", publisher, 20);

      assertThat(RecordedFiles.in(dir)).as("no recording but the one asked for").containsExactly(file);
      RecordedFiles.assertDecodesCleanly(file);
      double seconds = RecordedFiles.lastTimestampSeconds(file);
      System.out.printf("recorded %.2f s of 5 s between the start and the stop%n", seconds);
      assertThat(seconds).as("from the start to the stop, not to the publisher's end").isBetween(1.5, 5.0);
    }
  }
}
