package dev.streamedge.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's nginx with its RTMP module (libnginx-mod-rtmp, which scripts/test installs), a server nobody
 * here wrote: one {@code live} application on a loopback port, in the foreground, with its config, pid
 * file and error log under {@code target/nginx-<name>/}. The module is loaded as Debian's
 * {@code /etc/nginx/modules-enabled} does. The caller owns the process (with {@link ChildProcesses}).
 */
public final class NginxRtmp {

  public static final String NGINX = "/usr/sbin/nginx";
  public static final String MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

  private NginxRtmp() {
  }

  /** Starts nginx-rtmp listening on 127.0.0.1:{@code port}; returns once the port takes connections. */
  public static Process start(String name, int port) throws Exception {
    return start(name, port, "", "");
  }

  /** nginx-rtmp as {@link #start(String, int)}, asking {@code url} before each publish ({@code on_publish}). */
  public static Process startWithOnPublish(String name, int port, String url) throws Exception {
    return startWith(name, port, "on_publish " + url + ";");
  }

  /**
   * nginx-rtmp as {@link #start(String, int)}, with more directives in its {@code live} application, e.g.
   * {@code "on_play http://127.0.0.1:8000/on_play; on_play_done http://127.0.0.1:8000/done;"}.
   */
  public static Process startWith(String name, int port, String applicationDirectives) throws Exception {
    return start(name, port, applicationDirectives, "");
  }

  /**
   * nginx-rtmp as {@link #startWith}, with more directives in its {@code server} block too, e.g. {@code
   * "on_connect http://127.0.0.1:8000/connect;"}.
   */
  public static Process startWith(String name, int port, String serverDirectives, String applicationDirectives)
      throws Exception {
    return start(name, port, serverDirectives, applicationDirectives, "");
  }

  /**
   * nginx-rtmp as {@link #start(String, int)}, with its statistics page at {@code /stat} ({@code rtmp_stat all})
   * and its control module at {@code /control} on HTTP port {@code httpPort}, as its guides set them up.
   */
  public static Process startWithStat(String name, int port, int httpPort) throws Exception {
    Path temp = Path.of("target", "nginx-" + name, "temp").toAbsolutePath();
    return start(name, port, "", "http { access_log off; client_body_temp_path " + temp + "; server { listen 127.0.0.1:"
        + httpPort + "; location /stat { rtmp_stat all; } location /control { rtmp_control all; } } }");
  }

  private static Process start(String name, int port, String application, String http) throws Exception {
    return start(name, port, "", application, http);
  }

  private static Process start(String name, int port, String server, String application, String http)
      throws Exception {
    if (!Files.isExecutable(Path.of(NGINX)) || !Files.isRegularFile(Path.of(MODULE))) {
      throw new AssertionError(NGINX + " or " + MODULE + " is missing: scripts/test installs nginx and libnginx-mod-rtmp");
    }
    Path dir = Path.of("target", "nginx-" + name).toAbsolutePath();
    Files.createDirectories(dir.resolve("logs"));
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, String.join("\n",
        "load_module " + MODULE + ";",
        // nginx-rtmp's live streams live in one worker: a second one would not see the first's publishers.
        "worker_processes 1;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("logs/error.log") + " info;",
        "events { worker_connections 64; }",
        // publish_notify: players hear NetStream.Play.UnpublishNotify when the publisher leaves, and
        // ffmpeg ends on it.
        "rtmp { server { listen 127.0.0.1:" + port + "; " + server + " application live { live on; publish_notify on; "
            + application
            + " } } }",
        http, ""));
    Process nginx = new ProcessBuilder(NGINX, "-p", dir.toString(), "-e", dir.resolve("logs/error.log").toString(),
        "-c", conf.toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
    try {
      Await.until("nginx-rtmp listening on " + port, Duration.ofSeconds(10), () -> {
        if (!nginx.isAlive()) {
          throw new AssertionError("nginx exited " + nginx.exitValue() + ": "
              + Files.readString(dir.resolve("logs/error.log")));
        }
        return accepts(port);
      });
    } catch (Exception | AssertionError e) {
      ChildProcesses.kill(nginx);
      throw e;
    }
    return nginx;
  }

  /** The URL of stream {@code key} of nginx-rtmp's {@code live} application. */
  public static String url(int port, String key) {
    return "rtmp://127.0.0.1:" + port + "/live/" + key;
  }

  /** Whether something on 127.0.0.1:{@code port} takes a connection. */
  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
