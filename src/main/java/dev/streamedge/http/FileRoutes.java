package dev.streamedge.http;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import dev.streamedge.vod.VodLibrary;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The files of the apps in {@code vod.apps} over HTTP, as nginx serves a directory: {@code GET /<app>/<file>}
 * of an FLV or MP4 file ({@code /vod/clip.mp4}, {@code /vod/movie.flv}), with byte ranges (RFC 9110 §14), so
 * that a browser's {@code <video>} plays and seeks an MP4, and ffmpeg, VLC and flv.js seek in either by
 * range. Vert.x Web's {@link StaticHandler} serves them, sent with {@code sendfile(2)}, its file system
 * access always asynchronous (no event loop waits for the disk). Play auth applies per request, as for HLS.
 * Only a file of the app's directory itself whose name is a stream name with a media extension is served
 * (a name of other characters is a 404); any other path under the app goes on to the other routes, as does a
 * name without a file (a 404 in the end).
 */
final class FileRoutes {

  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  /** One path segment ending in an extension of the files played ({@code /clip.mp4}), in any case. */
  private static final String MEDIA_FILE = "/[^/]+(?i:" + VodLibrary.extensions().stream()
      .map(Pattern::quote).collect(Collectors.joining("|")) + ")";

  private FileRoutes() {
  }

  /** Mounts a route for each app of {@code directories}. */
  static void mount(Vertx vertx, Router router, Map<String, Path> directories, PlayAuth auth,
      MediaHeaders headers) {
    directories.forEach((app, directory) -> {
      StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, directory.toAbsolutePath().toString())
          .setAlwaysAsyncFS(true)
          .setEnableFSTuning(false)
          .setDirectoryListing(false)
          .setIncludeHidden(false)
          .setFilesReadOnly(false)
          // A recording in the directory grows while it is written: no "immutable" day of caching, as the
          // handler's own cache headers would say; "no-cache" below (players revalidate, ranges still work).
          .setCachingEnabled(false);
      // Mounted under /<app>/, where the static handler finds the file by the rest of the path.
      Router appFiles = Router.router(vertx);
      appFiles.routeWithRegex(MEDIA_FILE).method(HttpMethod.GET).method(HttpMethod.HEAD)
          .handler(ctx -> check(ctx, app, auth, headers))
          .handler(files);
      router.route("/" + app + "/*").subRouter(appFiles);
    });
  }

  private static void check(RoutingContext ctx, String app, PlayAuth auth, MediaHeaders headers) {
    String path = ctx.normalizedPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (!StreamNames.valid(name)) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    // A request of a file, not a play that starts and ends: checked as HLS requests are; a rename by the
    // callback names a stream, not a file, and the file asked for is served.
    auth.checkRequest(ctx.request(), new StreamKey(app, name), served -> {
      headers.cors(ctx.response()).putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
      ctx.next();
    });
  }
}
