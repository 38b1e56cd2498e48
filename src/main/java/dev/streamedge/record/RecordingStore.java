package dev.streamedge.record;

import dev.streamedge.flv.FlvLength;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The recordings under {@code record.path}: listed, located and deleted for the API, and removed after
 * {@code record.keep}. Directory walks and file reads are blocking, so they run on a worker thread
 * ({@code executeBlocking}), never on an event loop. Only names that {@link RecordingName#parse} accepts
 * are ever listed or touched.
 */
public final class RecordingStore {

  /** A listing stops here: its answer stays bounded whatever the disk holds. */
  public static final int MAX_LISTED = 10_000;

  private final Vertx vertx;
  private final Path root;
  private final Set<RecordingName> writing;

  RecordingStore(Vertx vertx, Path root, Set<RecordingName> writing) {
    this.vertx = vertx;
    this.root = root.toAbsolutePath().normalize();
    this.writing = writing;
  }

  /**
   * One recording file.
   *
   * @param name its name
   * @param bytes its size now
   * @param modified when it was last written
   * @param durationMs FLV: the timestamp of its last whole tag (its first is 0); fMP4: the end of its last
   *     whole fragment; empty when it could not be read
   * @param writing whether it is being written now
   */
  public record Recording(RecordingName name, long bytes, Instant modified, OptionalLong durationMs,
      boolean writing) {
  }

  Path root() {
    return root;
  }

  /** Where {@code name} is on disk; always inside {@code record.path}. */
  public Path path(RecordingName name) {
    Path path = root.resolve(name.app()).resolve(name.file()).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("not a recording name: " + name);
    }
    return path;
  }

  /** Every recording, oldest first, at most {@value #MAX_LISTED}. */
  public Future<List<Recording>> list() {
    return vertx.executeBlocking(() -> {
      List<Recording> all = new ArrayList<>();
      for (Path file : files()) {
        Optional<RecordingName> name = RecordingName.parse(file.getParent().getFileName().toString(),
            file.getFileName().toString());
        if (name.isEmpty()) {
          continue;
        }
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          all.add(new Recording(name.get(), attributes.size(), attributes.lastModifiedTime().toInstant(),
              name.get().format() == RecordFormat.FLV ? lastTagTime(file) : fmp4Duration(file),
              writing.contains(name.get())));
        } catch (IOException e) {
          // Deleted since the walk: not a recording any more.
        }
      }
      all.sort(Comparator.comparing((Recording r) -> r.name().start()).thenComparing(r -> r.name().toString()));
      return all;
    }, false);
  }

  /** The size of {@code name}, empty when there is no such recording. */
  public Future<Optional<Long>> size(RecordingName name) {
    return vertx.executeBlocking(() -> {
      Path path = path(name);
      return Files.isRegularFile(path) ? Optional.of(Files.size(path)) : Optional.empty();
    }, false);
  }

  /** What a delete of {@code name} did. */
  public enum Deleted { DELETED, NOT_FOUND, BEING_WRITTEN }

  /** Deletes {@code name}, unless it is being written. */
  public Future<Deleted> delete(RecordingName name) {
    if (writing.contains(name)) {
      return Future.succeededFuture(Deleted.BEING_WRITTEN);
    }
    return vertx.executeBlocking(() -> Files.deleteIfExists(path(name)) ? Deleted.DELETED : Deleted.NOT_FOUND, false);
  }

  /** Deletes the recordings last written more than {@code keep} ago; completes with how many. */
  Future<Integer> removeOlderThan(Duration keep) {
    return vertx.executeBlocking(() -> {
      Instant before = Instant.now().minus(keep);
      int removed = 0;
      for (Path file : files()) {
        Optional<RecordingName> name = RecordingName.parse(file.getParent().getFileName().toString(),
            file.getFileName().toString());
        if (name.isPresent() && !writing.contains(name.get())
            && Files.getLastModifiedTime(file).toInstant().isBefore(before) && Files.deleteIfExists(file)) {
          removed++;
        }
      }
      return removed;
    }, false);
  }

  /** The files one level below the app directories, at most {@value #MAX_LISTED}. */
  private List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return files;
    }
    try (DirectoryStream<Path> apps = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path app : apps) {
        try (DirectoryStream<Path> inApp = Files.newDirectoryStream(app, "*{.flv,.mp4}")) {
          for (Path file : inApp) {
            if (files.size() >= MAX_LISTED) {
              return files;
            }
            files.add(file);
          }
        }
      }
    }
    return files;
  }

  private static OptionalLong fmp4Duration(Path file) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      return Fmp4Duration.of(in);
    } catch (IOException | RuntimeException e) {
      // Torn or foreign bytes (an index out of a box's bounds): no duration, as for a torn FLV.
      return OptionalLong.empty();
    }
  }

  /** The timestamp of the last whole tag (FlvLength); empty when the file ends in a torn tag or is too short. */
  private static OptionalLong lastTagTime(Path file) {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      return FlvLength.lastTagTime(in::read, in.size());
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
