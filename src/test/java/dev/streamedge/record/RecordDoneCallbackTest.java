package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code record.on-record-done} is told of each finished file in nginx-rtmp's form: a form-encoded POST
 * of {@code call=record_done}, {@code app}, {@code name} and {@code path}.
 */
@Tag("e2e")
class RecordDoneCallbackTest {

  private static final Path DIR = Path.of("target", "test-out", "rec-done-" + ProcessHandle.current().pid());

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @ParameterizedTest
  @ValueSource(strings = {"post", "get"})
  void aFinishedRecordingIsToldInNginxRtmpForm(String method) throws Exception {
    Vertx vertx = Vertx.vertx();
    BlockingQueue<MultiMap> calls = new LinkedBlockingQueue<>();
    BlockingQueue<String> contentTypes = new LinkedBlockingQueue<>();
    try {
      HttpServer server = vertx.createHttpServer().requestHandler(request -> {
        contentTypes.add(request.method().name() + " " + request.getHeader("Content-Type"));
        if (request.method() != HttpMethod.GET) {
          request.setExpectMultipart(true);
        }
        request.endHandler(v -> {
          // nginx-rtmp's notify_method get: the form is the query.
          calls.add(request.method() == HttpMethod.GET ? request.params() : request.formAttributes());
          request.response().setStatusCode(200).end();
        });
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      String url = "http://127.0.0.1:" + server.actualPort() + "/record-done";
      Path dir = DIR.resolve(method);
      try (TestNode node = TestNode.start("--record.apps=live", "--record.path=" + dir,
          "--record.on-record-done=" + url, "--auth.callback.method=" + method)) {
        Process publisher = processes.own(Clients.publish("rec-done", TestMedia.audioVideo(2, 1),
            node.rtmpUrl("done")));
        Ffmpeg.awaitSuccess("rec-done", publisher, 60);

        MultiMap call = calls.poll(10, TimeUnit.SECONDS);
        assertThat(call).as("a call within 10 s of the publisher's end").isNotNull();
        List<Path> files = RecordedFiles.in(dir);
        assertThat(files).hasSize(1);
        assertThat(contentTypes.poll()).startsWith(method.equals("get") ? "GET null"
            : "POST application/x-www-form-urlencoded");
        assertThat(call.get("call")).isEqualTo("record_done");
        assertThat(call.get("app")).isEqualTo("live");
        assertThat(call.get("name")).isEqualTo("done");
        assertThat(call.get("path")).isEqualTo(files.get(0).toAbsolutePath().toString());
        assertThat(call.get("recording")).isEqualTo("live/" + files.get(0).getFileName());
        assertThat(calls.poll(1, TimeUnit.SECONDS)).as("one call per file").isNull();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
