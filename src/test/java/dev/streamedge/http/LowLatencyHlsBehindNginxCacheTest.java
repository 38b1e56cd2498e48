package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LlPlaylist;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The nginx cache of {@code conf/nginx/hls-cache.conf} (shown in docs/playback.md) in front of a node,
 * run with Debian's nginx: players get LL-HLS through it, parts and blocking playlist answers are
 * kept, and viewers asking at once for the same next part make one request to the node.
 */
@Tag("e2e")
class LowLatencyHlsBehindNginxCacheTest {

  private static final Path EXAMPLE = Path.of("conf", "nginx", "hls-cache.conf");
  private static final int VIEWERS = 20;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void nginxCacheInFrontKeepsPartsAndMakesOneUpstreamRequestPerBlockingReload() throws Exception {
    try (TestNode node = TestNode.start()) {
      processes.own(Clients.publishLooping("nginx-cache-publisher", TestMedia.audioVideo(20, 1),
          node.rtmpUrl("cached")));
      node.awaitPublisher("cached");
      Await.until("an LL-HLS playlist", Duration.ofSeconds(20),
          () -> Http.status(node.httpUrl("/hls/live/cached/ll.m3u8")) == 200);
      int port = FreePorts.next();
      startNginx(port, node.httpUrl(""));
      String base = "http://127.0.0.1:" + port + "/hls/live/cached/";

      // A plain playlist is never kept: every player gets the live one.
      HttpResponse<String> plain = Http.get(base + "ll.m3u8");
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.headers().firstValue("X-Cache-Status")).isNotEqualTo(Optional.of("HIT"));
      assertThat(Http.get(base + "ll.m3u8").headers().firstValue("X-Cache-Status")).isNotEqualTo(
          Optional.of("HIT"));

      // Twenty viewers ask at once for the next part: nginx sends one request to the node, the rest
      // wait for its answer (proxy_cache_lock) and get the same playlist from the cache.
      LlPlaylist playlist = LlPlaylist.parse(plain.body());
      String next = base + "ll.m3u8?" + playlist.nextPartQuery();
      double servedBefore = node.scrape().value("streamedge_hls_playlists_served_total");
      List<CompletableFuture<HttpResponse<String>>> viewers = new ArrayList<>();
      for (int i = 0; i < VIEWERS; i++) {
        viewers.add(Http.sendAsync(Http.request(next), HttpResponse.BodyHandlers.ofString()));
      }
      List<String> statuses = new ArrayList<>();
      String body = null;
      for (CompletableFuture<HttpResponse<String>> viewer : viewers) {
        HttpResponse<String> answer = viewer.get();
        assertThat(answer.statusCode()).isEqualTo(200);
        body = body == null ? answer.body() : body;
        assertThat(answer.body()).isEqualTo(body);
        statuses.add(answer.headers().firstValue("X-Cache-Status").orElse("none"));
      }
      double served = node.scrape().value("streamedge_hls_playlists_served_total") - servedBefore;
      assertThat(served).as("playlists the node served for %d viewers (cache: %s)", VIEWERS, statuses).isEqualTo(1);
      assertThat(statuses).as("cache statuses").containsOnlyOnce("MISS").contains("HIT");

      // A part: fetched once from the node, then from the cache, the same bytes.
      LlPlaylist answered = LlPlaylist.parse(body);
      String part = answered.openParts().isEmpty()
          ? answered.segments().get(answered.segments().size() - 1).parts().get(0).uri()
          : answered.openParts().get(0).uri();
      HttpResponse<byte[]> first = Http.getBytes(base + part);
      HttpResponse<byte[]> again = Http.getBytes(base + part);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(again.headers().firstValue("X-Cache-Status")).hasValue("HIT");
      assertThat(again.body()).isEqualTo(first.body()).isEqualTo(
          Http.getBytes(node.httpUrl("/hls/live/cached/" + part)).body());

      // ffmpeg 8 plays the seed URL through the cache.
      Path frames = Clients.output("nginx-cache-frames.txt");
      Ffmpeg.run("nginx-cache-player", List.of("-i", "http://127.0.0.1:" + port + "/hls/live/cached.m3u8",
          "-t", "5", "-map", "0", "-c", "copy", "-f", "framemd5", "-y", frames.toString()), 60);
      long packets = Files.readAllLines(frames).stream().filter(l -> !l.startsWith("#")).count();
      assertThat(packets).as("packets ffmpeg read through nginx in 5 s").isGreaterThan(150);
    }
  }

  /**
   * Debian's nginx with the example as its http block's include, its listen, upstream and cache
   * directory made the test's, everything else of it as committed.
   */
  private void startNginx(int port, String upstream) throws Exception {
    Path dir = Path.of("target", "nginx-hls-cache").toAbsolutePath();
    Path cache = dir.resolve("cache");
    Files.createDirectories(cache);
    Files.createDirectories(dir.resolve("logs"));
    // nginx's workers may run as another user: they write the cache.
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    String example = Files.readString(EXAMPLE);
    assertThat(example).as("the example still has the lines this test adapts")
        .contains("listen 80;", "proxy_pass http://edge-1:8080;", "proxy_cache_path /var/cache/nginx/hls ");
    String adapted = example.replace("listen 80;", "listen 127.0.0.1:" + port + ";")
        .replace("proxy_pass http://edge-1:8080;", "proxy_pass " + upstream.replaceAll("/$", "") + ";")
        .replace("proxy_cache_path /var/cache/nginx/hls ", "proxy_cache_path " + cache + " ");
    Files.writeString(dir.resolve("hls-cache.conf"), adapted);
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, String.join("\n",
        "worker_processes 1;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("logs/error.log") + " info;",
        "events { worker_connections 256; }",
        "http {",
        "  access_log " + dir.resolve("logs/access.log") + ";",
        "  client_body_temp_path " + cache.resolve("client") + ";",
        "  proxy_temp_path " + cache.resolve("proxy") + ";",
        "  fastcgi_temp_path " + cache.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + cache.resolve("uwsgi") + ";",
        "  scgi_temp_path " + cache.resolve("scgi") + ";",
        "  include " + dir.resolve("hls-cache.conf") + ";",
        "}",
        ""));
    Process nginx = processes.own(new ProcessBuilder(NginxRtmp.NGINX, "-p", dir.toString(), "-e",
        dir.resolve("logs/error.log").toString(), "-c", conf.toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start());
    Await.until("nginx listening on " + port, Duration.ofSeconds(10), () -> {
      if (!nginx.isAlive()) {
        throw new AssertionError("nginx exited " + nginx.exitValue() + ": "
            + Files.readString(dir.resolve("logs/error.log")));
      }
      return NginxRtmp.accepts(port);
    });
  }
}
