package dev.streamedge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's runtime stage, run outside a container (no Docker engine here): its files laid out
 * as the image has them, its environment, its entrypoint command and its health check. A node started
 * so must answer its readiness probe, pass the health check, and stop on SIGTERM.
 */
@Tag("e2e")
class DockerEntrypointIT {

  private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|(\\S+))");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theImagesEntrypointWithTheImagesEnvironmentStartsANodeThatIsReadyAndHealthy(@TempDir Path app)
      throws Exception {
    List<String> lines = runtimeStage(Files.readAllLines(Path.of("Dockerfile")));
    String workdir = argument(lines, "WORKDIR");
    assertThat(workdir).isEqualTo("/app");
    // COPY --from=build /src/target/streamedge.jar /app/streamedge.jar, COPY conf /app/conf
    for (String copy : instructions(lines, "COPY")) {
      String[] parts = copy.replace("--from=build ", "").split("\\s+");
      Path source = Path.of(parts[0].replaceFirst("^/src/", ""));
      Path target = app.resolve(Path.of(workdir).relativize(Path.of(parts[1])));
      copyTree(source, target);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : instructions(lines, "ENV")) {
      Matcher pair = ENV_PAIR.matcher(line);
      while (pair.find()) {
        env.put(pair.group(1), pair.group(3) != null ? pair.group(3) : pair.group(4));
      }
    }
    assertThat(env).containsKey("JAVA_OPTS");
    int http = FreePorts.next();
    int ops = FreePorts.next();
    // The image's ports may be taken on this machine: the same variables move them, as an operator would.
    env.put("STREAMEDGE_HTTP_PORT", Integer.toString(http));
    env.put("STREAMEDGE_METRICS_PORT", Integer.toString(ops));
    env.put("STREAMEDGE_RTMP_PORT", Integer.toString(FreePorts.next()));
    env.put("STREAMEDGE_RTMP_RTMPS_PORT", Integer.toString(FreePorts.next()));
    env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));

    List<String> entrypoint = new ArrayList<>();
    for (String word : json(argument(lines, "ENTRYPOINT"))) {
      entrypoint.add(word.replace("/app/", app + "/"));
    }
    ProcessBuilder builder = new ProcessBuilder(entrypoint).directory(app.toFile())
        .redirectErrorStream(true).redirectOutput(app.resolve("node.log").toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process node = processes.own(builder.start());
    Await.until("readiness of the node started by the entrypoint", Duration.ofSeconds(30),
        () -> ready(ops) || exitedEarly(node, app));
    assertThat(node.isAlive()).as("node alive; log:\n%s", Files.readString(app.resolve("node.log"))).isTrue();
    assertThat(Files.readString(app.resolve("node.log"))).contains("listening: ");
    // exec in the entrypoint: the process started is java itself, with the image's JAVA_OPTS.
    String commandLine = Files.readString(Path.of("/proc", Long.toString(node.pid()), "cmdline")).replace('\0', ' ');
    assertThat(commandLine).startsWith("java ").contains(env.get("JAVA_OPTS")).contains("streamedge.jar");
    // The memory settings took: this JDK knows every flag (an unknown one would have stopped the start)
    // and the JVM runs with them (docs/operations.md#memory).
    Process flags = processes.own(new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(node.pid()), "VM.flags")
        .redirectErrorStream(true).start());
    String vmFlags = new String(flags.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(flags.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(vmFlags).contains("-XX:+UseSerialGC").contains("-XX:NewRatio=4").contains("-XX:TrimNativeHeapInterval=1000");

    List<String> healthcheck = new ArrayList<>();
    String check = argument(lines, "HEALTHCHECK");
    String command = check.substring(check.indexOf("CMD ") + 4);
    assertThat(command).as("the health check asks metrics.port, which media clients cannot crowd out")
        .contains("127.0.0.1/8081");
    for (String word : json(command)) {
      healthcheck.add(word.replace("127.0.0.1/8081", "127.0.0.1/" + ops));
    }
    Process probe = processes.own(new ProcessBuilder(healthcheck).inheritIO().start());
    assertThat(probe.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(probe.exitValue()).as("the image's HEALTHCHECK command").isZero();

    // docker stop sends SIGTERM to the entrypoint; exec made java that process.
    node.destroy();
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("exit after SIGTERM").isTrue();
    assertThat(Files.readString(app.resolve("node.log"))).contains("shutdown: done");
  }

  /** The lines of the last stage (after the last FROM), continuation lines joined. */
  private static List<String> runtimeStage(List<String> dockerfile) {
    List<String> joined = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile) {
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      joined.add(current.append(line).toString().strip());
      current.setLength(0);
    }
    int from = 0;
    for (int i = 0; i < joined.size(); i++) {
      if (joined.get(i).startsWith("FROM ")) {
        from = i;
      }
    }
    return joined.subList(from, joined.size());
  }

  private static List<String> instructions(List<String> lines, String name) {
    return lines.stream().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1).strip()).toList();
  }

  private static String argument(List<String> lines, String name) {
    List<String> found = instructions(lines, name);
    assertThat(found).as(name + " in the runtime stage").hasSize(1);
    return found.get(0);
  }

  private static List<String> json(String array) throws Exception {
    return Arrays.asList(new ObjectMapper().readValue(array, String[].class));
  }

  private static boolean ready(int port) throws InterruptedException {
    return Http.status("http://127.0.0.1:" + port + "/health/ready") == 200;
  }

  private static boolean exitedEarly(Process node, Path app) throws Exception {
    if (node.isAlive()) {
      return false;
    }
    throw new AssertionError("the node exited " + node.exitValue() + ":\n" + Files.readString(app.resolve("node.log")));
  }

  private static void copyTree(Path source, Path target) throws Exception {
    if (Files.isDirectory(source)) {
      Files.createDirectories(target);
      try (var children = Files.list(source)) {
        for (Path child : children.toList()) {
          copyTree(child, target.resolve(child.getFileName().toString()));
        }
      }
    } else {
      assertThat(source).as("file the image copies").exists();
      Files.createDirectories(target.getParent());
      Files.copy(source, target);
    }
  }
}
