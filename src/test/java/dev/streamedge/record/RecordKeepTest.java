package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code record.keep}: recordings last written longer ago are deleted; newer ones, files being written,
 * and files that are not recordings stay.
 */
@Tag("unit")
class RecordKeepTest {

  @Test
  void recordingsOlderThanKeepAreDeletedAndNothingElse() throws Exception {
    Path root = Files.createTempDirectory(Path.of("target"), "rec-keep-");
    Path app = Files.createDirectories(root.resolve("live"));
    Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
    Path old = file(app, "old-20261202T100000.000Z.flv", twoHoursAgo);
    Path oldWriting = file(app, "busy-20261202T100000.000Z.flv", twoHoursAgo);
    Path oldOther = file(app, "notes.flv", twoHoursAgo);
    Path fresh = file(app, "new-20261202T120000.000Z.flv", Instant.now());
    Set<RecordingName> writing = ConcurrentHashMap.newKeySet();
    writing.add(RecordingName.parse("live", oldWriting.getFileName().toString()).orElseThrow());
    Vertx vertx = Vertx.vertx();
    try {
      RecordingStore store = new RecordingStore(vertx, root, writing);

      int removed = store.removeOlderThan(Duration.ofHours(1)).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);

      assertThat(removed).isEqualTo(1);
      assertThat(old).doesNotExist();
      assertThat(oldWriting).exists();
      assertThat(oldOther).exists();
      assertThat(fresh).exists();
    } finally {
      vertx.close();
    }
  }

  private static Path file(Path dir, String name, Instant modified) throws Exception {
    Path file = Files.writeString(dir.resolve(name), "FLV");
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }
}
