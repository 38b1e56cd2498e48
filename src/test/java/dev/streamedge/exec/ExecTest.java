package dev.streamedge.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamInfo;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx-rtmp's exec directives with real clients: ffmpeg publishing and playing, ffmpeg and shell scripts
 * as the commands. A push command runs while its publish lasts, is started again when it dies, and is
 * ended (SIGTERM) with the publish; the one-shot commands get nginx-rtmp's variables; every process counts
 * against exec.max-processes.
 */
@Tag("e2e")
class ExecTest {

  /** Appends its arguments after the first, each followed by '|', as one line to the file the first names. */
  private static final String EVENTS_SH = """
      #!/bin/sh
      out="$1"; shift
      line=$(printf '%s|' "$@")
      echo "$line" >> "$out"
      """;
  /** Says when it starts (with its pid) and when SIGTERM ends it, in the file its first argument names. */
  private static final String PUSH_SH = """
      #!/bin/sh
      out="$1"
      trap 'echo "term $2 $$" >> "$out"; exit 0' TERM
      echo "start $2 $$" >> "$out"
      while :; do sleep 0.2; done
      """;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @TempDir
  Path dir;

  @Test
  void aPushCommandCopiesEachPublishToAnotherAppAndEndsWithIt() throws Exception {
    int port = FreePorts.next();
    // nginx-rtmp's classic recipe: exec ffmpeg -i rtmp://localhost/live/$name ... rtmp://localhost/copy/$name.
    String push = Ffmpeg.ffmpegPath() + " -nostdin -loglevel error -i rtmp://127.0.0.1:" + port + "/live/$name"
        + " -c copy -f flv rtmp://127.0.0.1:" + port + "/copy/$name";
    try (TestNode node = TestNode.start("--rtmp.port=" + port, "--exec.apps=live", "--exec.push=" + push)) {
      Process publisher = processes.own(Clients.publishLooping("exec-copy", TestMedia.audioVideo(2, 1),
          node.rtmpUrl("cam")));
      StreamKey copy = new StreamKey("copy", "cam");
      Await.until("copy/cam published by the push command with H.264", Duration.ofSeconds(20),
          () -> info(node, copy).map(info -> info.publisher() != null && info.codecs().video().startsWith("H.264")
              && info.bytesIn() > 0).orElse(false));
      assertThat(node.scrape().value("streamedge_exec_processes")).isEqualTo(1);
      JsonArray listed = new JsonObject(Http.get(node.httpUrl("/api/v1/exec")).body()).getJsonArray("processes");
      assertThat(listed).hasSize(1);
      JsonObject process = listed.getJsonObject(0);
      assertThat(process.getString("event")).isEqualTo("push");
      assertThat(process.getJsonObject("stream").getMap()).isEqualTo(Map.of("app", "live", "key", "cam"));
      assertThat(process.getString("program")).isEqualTo(Ffmpeg.ffmpegPath());
      assertThat(ProcessHandle.of(process.getLong("pid")).map(ProcessHandle::isAlive)).contains(true);

      ChildProcesses.stop(publisher);
      Await.until("the push command ended with its publish", Duration.ofSeconds(10),
          () -> node.scrape().value("streamedge_exec_processes") == 0
              && info(node, copy).map(info -> info.publisher() == null).orElse(true));
      assertThat(node.scrape().value("streamedge_exec_started_total")).as("the copy runs no command").isEqualTo(1);
    }
  }

  @Test
  void aStaticCommandRunsFromTheNodesStartToItsEnd() throws Exception {
    int port = FreePorts.next();
    String target = "rtmp://127.0.0.1:" + port + "/live/camera";
    // nginx-rtmp's exec_static camera recipe, with a file in place of the camera's RTSP URL.
    TestNode node = TestNode.start("--rtmp.port=" + port, "--exec.static=" + Ffmpeg.ffmpegPath()
        + " -nostdin -loglevel error -re -stream_loop -1 -i " + TestMedia.audioVideo(2, 1) + " -c copy -f flv " + target);
    try (node) {
      node.awaitPublisher("camera");
      assertThat(children(target)).hasSize(1);
    }
    assertThat(children(target)).as("ended with the node").isEmpty();
  }

  @Test
  void aPullCommandPublishesAStreamWhileItHasViewers() throws Exception {
    int port = FreePorts.next();
    // nginx-rtmp's exec_pull: the "camera" is a file here; the command publishes it as the viewer's name.
    try (TestNode node = TestNode.start("--rtmp.port=" + port, "--exec.apps=cams", "--exec.pull=" + Ffmpeg.ffmpegPath()
        + " -nostdin -loglevel error -re -stream_loop -1 -i " + TestMedia.audioVideo(2, 1)
        + " -c copy -f flv rtmp://127.0.0.1:" + port + "/$app/$name")) {
      String url = "rtmp://127.0.0.1:" + port + "/cams/door";
      assertThat(children(url)).as("nothing before a viewer").isEmpty();
      Path frames = dir.resolve("door.framemd5");
      Ffmpeg.run("exec-pull-viewer", List.of("-i", url, "-t", "2", "-map", "0", "-c", "copy", "-f", "framemd5", "-y",
          frames.toString()), 60);
      assertThat(Files.readAllLines(frames).stream().filter(line -> line.startsWith("0,")).count())
          .as("video packets the viewer got").isGreaterThan(20);
      Await.until("the pull command ended after its last viewer", Duration.ofSeconds(10),
          () -> children(url).isEmpty() && node.scrape().value("streamedge_exec_processes") == 0);
    }
  }

  /**
   * nginx-rtmp's children die with it (PR_SET_PDEATHSIG); so do the node's, under setpriv --pdeathsig: a
   * {@code sleep} that reads nothing from the node would otherwise outlive a node killed with kill -9.
   */
  @Test
  void aNodeKilledWithKillMinus9LeavesNoExecProcess() throws Exception {
    try (NodeProcess node = NodeProcess.single("exec-kill", "--exec.static=/bin/sleep 600")) {
      node.awaitLog("listening: ", Duration.ofSeconds(30));
      long[] pid = {-1};
      Await.until("the static command running", Duration.ofSeconds(10), () -> {
        JsonArray list = new JsonObject(Http.get(node.httpUrl("/api/v1/exec")).body()).getJsonArray("processes");
        pid[0] = list.isEmpty() ? -1 : list.getJsonObject(0).getLong("pid");
        return pid[0] > 0;
      });
      ProcessHandle sleep = ProcessHandle.of(pid[0]).orElseThrow();
      assertThat(sleep.parent().map(ProcessHandle::pid)).as("its parent").contains(node.pid());
      node.kill();
      assertThat(sleep.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }
  }

  /** The processes this JVM started that have {@code argument} among their arguments. */
  private static List<ProcessHandle> children(String argument) {
    return ProcessHandle.current().children().filter(child -> child.isAlive() && child.info().arguments()
        .map(args -> List.of(args).contains(argument)).orElse(false)).toList();
  }

  @Test
  void eventsRunTheirCommandsWithNginxRtmpsVariablesAndAPushIsRespawnedThenTerminated() throws Exception {
    Path events = script("events.sh", EVENTS_SH);
    Path pushScript = script("push.sh", PUSH_SH);
    Path eventLog = dir.resolve("events.txt");
    Path pushLog = dir.resolve("push.txt");
    Path recordings = dir.resolve("rec");
    String on = events + " " + eventLog + " ";
    int port = FreePorts.next();
    try (TestNode node = TestNode.start("--rtmp.port=" + port, "--exec.apps=live",
        "--record.apps=live", "--record.path=" + recordings,
        "--exec.push=" + pushScript + " " + pushLog + " $name",
        "--exec.publish=" + on + "publish $app $name $args $addr $proto $tcurl\n/bin/sleep 600",
        "--exec.publish-done=" + on + "publish-done $app $name $args",
        "--exec.play=" + on + "play $app $name $args $proto",
        "--exec.play-done=" + on + "play-done $app $name",
        "--exec.record-done=" + on + "record-done $app $name $path $filename $basename $dirname",
        "--exec.respawn-timeout=500ms", "--exec.event-timeout=1s", "--exec.kill-timeout=2s")) {
      Process publisher = processes.own(Clients.publishLooping("exec-events", TestMedia.audioVideo(2, 1),
          node.rtmpUrl("ev?token=abc")));
      String first = awaitLine(pushLog, "start ev ");
      assertThat(awaitLine(eventLog, "publish|")).isEqualTo("publish|live|ev|token=abc|127.0.0.1|rtmp|rtmp://127.0.0.1:"
          + port + "/live|");
      Await.until("the sleep of the publish event ended after exec.event-timeout", Duration.ofSeconds(10),
          () -> node.scrape().value("streamedge_exec_timed_out_total") == 1);

      // The push command dies: it is started again after exec.respawn-timeout.
      long firstPid = Long.parseLong(first.substring("start ev ".length()));
      ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
      Await.until("the push command started again", Duration.ofSeconds(10),
          () -> lines(pushLog).stream().filter(line -> line.startsWith("start ev ")).count() == 2);
      assertThat(node.scrape().value("streamedge_exec_respawned_total")).isEqualTo(1);
      String second = lines(pushLog).get(1);

      Ffmpeg.run("exec-play", List.of("-i", node.rtmpUrl("ev?seat=7"), "-t", "1", "-c", "copy", "-f", "null", "-"),
          30);
      assertThat(awaitLine(eventLog, "play|")).isEqualTo("play|live|ev|seat=7|rtmp|");
      assertThat(awaitLine(eventLog, "play-done|")).isEqualTo("play-done|live|ev|");
      // An HTTP-FLV play is a play too.
      Ffmpeg.run("exec-play-flv", List.of("-i", node.httpUrl("/live/ev.flv?viewer=9"), "-t", "1", "-c", "copy", "-f",
          "null", "-"), 30);
      awaitLine(eventLog, "play|live|ev|viewer=9|http-flv|");

      ChildProcesses.stop(publisher);
      assertThat(awaitLine(pushLog, "term ")).as("SIGTERM to the push command")
          .isEqualTo("term ev " + second.substring("start ev ".length()));
      assertThat(awaitLine(eventLog, "publish-done|")).isEqualTo("publish-done|live|ev|token=abc|");
      String recordDone = awaitLine(eventLog, "record-done|");
      List<Path> files = RecordedFiles.in(recordings);
      assertThat(files).hasSize(1);
      Path file = files.get(0).toAbsolutePath();
      String name = file.getFileName().toString();
      assertThat(recordDone).isEqualTo("record-done|live|ev|" + file + "|" + name + "|"
          + name.substring(0, name.lastIndexOf('.')) + "|" + file.getParent() + "|");
      Await.until("every exec process gone", Duration.ofSeconds(10),
          () -> node.scrape().value("streamedge_exec_processes") == 0);
    }
  }

  @Test
  void execMaxProcessesBoundsThemAndAWaitingPushStartsWhenAnotherEnds() throws Exception {
    Path pushScript = script("push.sh", PUSH_SH);
    Path pushLog = dir.resolve("push.txt");
    try (TestNode node = TestNode.start("--exec.apps=live", "--exec.max-processes=1",
        "--exec.push=" + pushScript + " " + pushLog + " $name", "--exec.respawn-timeout=300ms",
        "--exec.kill-signal=kill")) {
      Process a = processes.own(Clients.publishLooping("exec-max-a", TestMedia.audioVideo(2, 1), node.rtmpUrl("a")));
      awaitLine(pushLog, "start a ");
      Process b = processes.own(Clients.publishLooping("exec-max-b", TestMedia.audioVideo(2, 1), node.rtmpUrl("b")));
      node.awaitPublisher("b");
      Await.until("b's push refused a few times", Duration.ofSeconds(10),
          () -> node.scrape().value("streamedge_exec_failed_total") >= 3);
      assertThat(lines(pushLog)).hasSize(1);
      assertThat(node.scrape().value("streamedge_exec_processes")).isEqualTo(1);

      ChildProcesses.stop(a);
      awaitLine(pushLog, "start b ");
      assertThat(lines(pushLog)).as("kill-signal=kill: no trap ran").noneMatch(line -> line.startsWith("term"));
      ChildProcesses.stop(b);
    }
  }

  /**
   * The same scripts under Debian's nginx-rtmp and under the node, driven by the same ffmpeg publish and play:
   * the same lines, but for the port in $tcurl. nginx-rtmp runs its children as its worker's user, so the
   * directory is open to all.
   */
  @Test
  void theSameCommandsSeeTheSameValuesAsUnderNginxRtmp() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path events = script("events.sh", EVENTS_SH);
    Path pushScript = script("push.sh", PUSH_SH);
    String vars = " $app $name $args $addr $tcurl $flashver $swfurl $pageurl";
    Path nginxLog = dir.resolve("nginx.txt");
    Path nodeLog = dir.resolve("node.txt");
    int nginxPort = FreePorts.next();
    processes.own(NginxRtmp.startWith("exec", nginxPort, "exec_kill_signal term; respawn_timeout 1s;"
        + " exec_push " + pushScript + " " + nginxLog + " $name;"
        + " exec_publish " + events + " " + nginxLog + " publish" + vars + ";"
        + " exec_publish_done " + events + " " + nginxLog + " publish-done" + vars + ";"
        + " exec_play " + events + " " + nginxLog + " play" + vars + ";"
        + " exec_play_done " + events + " " + nginxLog + " play-done" + vars + ";"));
    int port = FreePorts.next();
    String on = events + " " + nodeLog + " ";
    try (TestNode node = TestNode.start("--rtmp.port=" + port, "--exec.apps=live",
        "--exec.push=" + pushScript + " " + nodeLog + " $name",
        "--exec.publish=" + on + "publish" + vars, "--exec.publish-done=" + on + "publish-done" + vars,
        "--exec.play=" + on + "play" + vars, "--exec.play-done=" + on + "play-done" + vars)) {
      for (String url : List.of(NginxRtmp.url(nginxPort, "ev?token=abc"), node.rtmpUrl("ev?token=abc"))) {
        Path log = url.contains(":" + port + "/") ? nodeLog : nginxLog;
        Process publisher = processes.own(Clients.publishLooping("exec-same", TestMedia.audioVideo(2, 1), url));
        awaitLine(log, "start ev ");
        awaitLine(log, "publish|");
        Ffmpeg.run("exec-same-play", List.of("-i", url.replace("ev?token=abc", "ev?seat=7"), "-t", "1", "-c", "copy",
            "-f", "null", "-"), 30);
        awaitLine(log, "play-done|");
        ChildProcesses.stop(publisher);
        awaitLine(log, "publish-done|");
        awaitLine(log, "term ev ");
      }
    }
    List<String> fromNginx = lines(nginxLog).stream().map(line -> comparable(line, nginxPort)).sorted().toList();
    List<String> fromNode = lines(nodeLog).stream().map(line -> comparable(line, port)).sorted().toList();
    assertThat(fromNode).isEqualTo(fromNginx).hasSize(6);
    assertThat(fromNode).contains("play|live|ev|seat=7|127.0.0.1|rtmp://127.0.0.1:PORT/live|LNX 9,0,124,2|||");
  }

  /**
   * A line with the server's port and the scripts' pids taken out, and $flashver cut to nginx-rtmp's 31
   * characters (its session keeps 32 bytes with the terminating zero; the node passes it whole).
   */
  private static String comparable(String line, int port) {
    String[] fields = line.replace(":" + port + "/", ":PORT/").replaceAll("^(start|term) ev [0-9]+$", "$1 ev")
        .split("\\|", -1);
    if (fields.length > 6 && fields[6].length() > 31) {
      fields[6] = fields[6].substring(0, 31);
    }
    return String.join("|", fields);
  }

  private Path script(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static Optional<StreamInfo> info(TestNode node, StreamKey key) throws Exception {
    return node.node().registry().info(key).toCompletionStage().toCompletableFuture().get();
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  /** The first line of {@code file} that starts with {@code prefix}, once there is one. */
  private static String awaitLine(Path file, String prefix) throws Exception {
    String[] found = new String[1];
    Await.until("a line " + prefix + "... in " + file.getFileName(), Duration.ofSeconds(15), () -> {
      found[0] = lines(file).stream().filter(line -> line.startsWith(prefix)).findFirst().orElse(null);
      return found[0] != null;
    });
    return found[0];
  }
}
