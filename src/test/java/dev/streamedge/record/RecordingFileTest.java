package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.metrics.Metrics;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.Prometheus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A recording file takes writes without waiting for the disk, up to {@code record.max-queued} bytes not
 * yet written: exactly the bound is taken, one byte beyond it fails the file once, and it is closed.
 * Writes handed over before the file is open (the first ones always are) count against the bound.
 */
@Tag("unit")
class RecordingFileTest {

  private static final int MAX_QUEUED = 64 * 1024;

  @Test
  void writesUpToMaxQueuedAreTakenAndOneByteMoreFailsTheFileOnce() throws Exception {
    Path path = Files.createTempDirectory(Path.of("target"), "rec-file-").resolve("live").resolve("a.flv");
    Metrics metrics = Metrics.prometheus();
    Vertx vertx = Vertx.vertx();
    List<String> failures = new CopyOnWriteArrayList<>();
    try {
      CompletableFuture<List<Boolean>> taken = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        RecordingFile file = RecordingFile.open(vertx, path, MAX_QUEUED, metrics.record(), failures::add);
        // Nothing is written until the open completes on a later turn of this context.
        boolean first = file.write(Buffer.buffer(new byte[MAX_QUEUED - 1]));
        boolean toTheBound = file.write(Buffer.buffer(new byte[1]));
        boolean beyond = file.write(Buffer.buffer(new byte[1]));
        boolean afterFailure = file.write(Buffer.buffer(new byte[1]));
        taken.complete(List.of(first, toTheBound, beyond, afterFailure));
      });

      assertThat(taken.get(10, TimeUnit.SECONDS)).containsExactly(true, true, false, false);
      assertThat(failures).hasSize(1);
      assertThat(failures.get(0)).startsWith("the disk fell behind: 65536 bytes still waiting to be written");
      // Opened after the failure, then closed at once.
      Await.until("the file opened and closed", Duration.ofSeconds(10), () -> {
        Prometheus scrape = Prometheus.parse(metrics.scrape().orElseThrow());
        return scrape.value("streamedge_recordings_files_total") == 1.0 && scrape.value("streamedge_recordings_open") == 0.0;
      });
      assertThat(failures).as("one failure only").hasSize(1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void writesComeOutInOrderAndAreCounted() throws Exception {
    Path path = Files.createTempDirectory(Path.of("target"), "rec-file-").resolve("live").resolve("b.flv");
    Metrics metrics = Metrics.prometheus();
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        RecordingFile file = RecordingFile.open(vertx, path, MAX_QUEUED, metrics.record(),
            why -> closed.completeExceptionally(new AssertionError(why)));
        for (int i = 0; i < 1000; i++) {
          file.write(Buffer.buffer(String.format("%05d,", i)));
        }
        file.close().onComplete(done -> closed.complete(null));
      });
      closed.get(10, TimeUnit.SECONDS);

      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        expected.append(String.format("%05d,", i));
      }
      assertThat(path).hasContent(expected.toString());
      Prometheus scrape = Prometheus.parse(metrics.scrape().orElseThrow());
      assertThat(scrape.value("streamedge_recorded_bytes_total")).isEqualTo(6000.0);
      assertThat(scrape.value("streamedge_recordings_files_total")).isEqualTo(1.0);
      assertThat(scrape.value("streamedge_recordings_open")).isEqualTo(0.0);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
