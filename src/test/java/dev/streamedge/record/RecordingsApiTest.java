package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/v1/recordings}: the list shows each file with its app, key, size, start and duration; a
 * file downloads byte for byte and deletes; one being written cannot be deleted; names that try to step
 * out of {@code record.path} are refused and touch nothing.
 */
@Tag("e2e")
class RecordingsApiTest {

  private static final Path DIR = Path.of("target", "test-out", "rec-api-" + ProcessHandle.current().pid(), "rec");

  @RegisterExtension
  static final TestNode node = TestNode.extension("--record.apps=live", "--record.path=" + DIR);
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void listDownloadAndDeleteARecording() throws Exception {
    try (LogLines log = LogLines.capture()) {
      Process publisher = processes.own(Clients.publish("rec-api", TestMedia.audioVideo(3, 1), node.rtmpUrl("api")));
      Ffmpeg.awaitSuccess("rec-api", publisher, 60);
      log.await("record done stream=live/api ", Duration.ofSeconds(10));
    }
    Path file = RecordedFiles.in(DIR).stream().filter(f -> f.getFileName().toString().startsWith("api-"))
        .findFirst().orElseThrow();
    String name = "live/" + file.getFileName();

    List<JsonObject> list = recordingsOf("api");
    assertThat(list).hasSize(1);
    JsonObject recording = list.get(0);
    assertThat(recording.getString("name")).isEqualTo(name);
    assertThat(recording.getString("app")).isEqualTo("live");
    assertThat(recording.getString("key")).isEqualTo("api");
    assertThat(recording.getLong("bytes")).isEqualTo(Files.size(file));
    assertThat(recording.getDouble("duration")).isBetween(2.5, 3.2);
    assertThat(recording.getBoolean("writing")).isFalse();

    HttpResponse<byte[]> download = Http.getBytes(node.httpUrl("/api/v1/recordings/" + name));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("video/x-flv");
    assertThat(download.body()).isEqualTo(Files.readAllBytes(file));

    assertThat(Http.delete(node.httpUrl("/api/v1/recordings/" + name)).statusCode()).isEqualTo(204);
    assertThat(file).doesNotExist();
    assertThat(recordingsOf("api")).isEmpty();
    assertThat(Http.status(node.httpUrl("/api/v1/recordings/" + name))).isEqualTo(404);
    assertThat(Http.delete(node.httpUrl("/api/v1/recordings/" + name)).statusCode()).isEqualTo(404);
  }

  @Test
  void aRecordingBeingWrittenIsListedAsSuchAndCannotBeDeleted() throws Exception {
    processes.own(Clients.publishLooping("rec-api-busy", TestMedia.audioVideo(3, 1), node.rtmpUrl("busy")));
    Await.until("the recording of live/busy in the list", Duration.ofSeconds(20),
        () -> !recordingsOf("busy").isEmpty());
    JsonObject busy = recordingsOf("busy").get(0);
    assertThat(busy.getBoolean("writing")).isTrue();

    HttpResponse<String> delete = Http.delete(node.httpUrl("/api/v1/recordings/" + busy.getString("name")));
    assertThat(delete.statusCode()).isEqualTo(409);
    assertThat(DIR.resolve(busy.getString("name"))).exists();
  }

  @Test
  void namesThatStepOutOfTheRecordingDirectoryAreRefused() throws Exception {
    // A file that looks like a recording, one directory above record.path.
    Path outside = DIR.getParent().resolve("live").resolve("victim-20260101T000000.000Z.flv");
    Files.createDirectories(outside.getParent());
    Files.writeString(outside, "not yours");
    List<String> attempts = List.of(
        "live/..%2F..%2Flive%2Fvictim-20260101T000000.000Z.flv",
        "..%2Flive/victim-20260101T000000.000Z.flv",
        "..%2F..%2Fpom.xml",
        "live/../../../../pom.xml",
        "%2E%2E/%2E%2E",
        "live/victim-20260101T000000.000Z.flv%00.flv",
        "live/%2Fetc%2Fpasswd");
    for (String attempt : attempts) {
      HttpResponse<String> get = Http.get(node.httpUrl("/api/v1/recordings/" + attempt));
      assertThat(get.statusCode()).as("GET " + attempt).isIn(400, 404);
      assertThat(get.body()).as("GET " + attempt).doesNotContain("not yours").doesNotContain("<project")
          .doesNotContain("root:");
      assertThat(Http.delete(node.httpUrl("/api/v1/recordings/" + attempt)).statusCode()).as("DELETE " + attempt)
          .isIn(400, 404);
    }
    assertThat(outside).hasContent("not yours");
  }

  private static List<JsonObject> recordingsOf(String key) throws Exception {
    HttpResponse<String> response = Http.get(node.httpUrl("/api/v1/recordings"));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonArray all = new JsonObject(response.body()).getJsonArray("recordings");
    return all.stream().map(JsonObject.class::cast).filter(r -> r.getString("key").equals(key)).toList();
  }
}
