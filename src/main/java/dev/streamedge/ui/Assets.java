package dev.streamedge.ui;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard's files, read once from the jar into memory (about 1 MB, most of it the players): a
 * request never touches the disk, and the node needs no writable directory to serve them. The players
 * (hls.js, mpegts.js) are copied into the jar at build time from the pinned npm packages of
 * {@code src/main/ui/package-lock.json}; nothing is fetched at run time.
 */
final class Assets {

  /** A file and its media type. */
  record Asset(Buffer body, String type) {
  }

  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.css", "text/css; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "vendor/hls.min.js", "text/javascript; charset=utf-8",
      "vendor/mpegts.js", "text/javascript; charset=utf-8");

  private final Map<String, Asset> assets;

  private Assets(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** Reads every file; blocking, so on a worker thread. A missing player file is left out, not fatal. */
  static Assets load() {
    Map<String, Asset> loaded = new HashMap<>();
    FILES.forEach((name, type) -> {
      try (InputStream in = Assets.class.getClassLoader().getResourceAsStream("ui/" + name)) {
        if (in != null) {
          loaded.put(name, new Asset(Buffer.buffer(in.readAllBytes()), type));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return new Assets(Map.copyOf(loaded));
  }

  /** The file at {@code name} (relative to {@code /ui/}), or null. */
  Asset get(String name) {
    return assets.get(name);
  }
}
