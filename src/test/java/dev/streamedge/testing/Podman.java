package dev.streamedge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Containers of the streamedge image on a podman network of their own, for the {@code image} tier
 * (scripts/test-image). Podman reads src/test/image/containers.conf, the settings this machine needs
 * (docs/testing.md#the-image-tier). Closing it (after each test, as an extension) saves every
 * container's log to {@code target/node-logs/<name>.log} and removes the containers and the network,
 * so that no container outlives its test.
 */
public final class Podman implements AutoCloseable, AfterEachCallback {

  private static final Path CONF = Path.of("src", "test", "image", "containers.conf").toAbsolutePath();
  private static final Path LOGS = Path.of("target", "node-logs");
  private static final Duration COMMAND = Duration.ofSeconds(120);

  private final String network = "streamedge-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final Deque<Container> containers = new ConcurrentLinkedDeque<>();
  private volatile String subnetPrefix;

  /** The image the tests run: {@code -Dstreamedge.image=...}, else what scripts/test-image builds. */
  public static String image() {
    return System.getProperty("streamedge.image", "localhost/streamedge:test");
  }

  /** Runs {@code podman args...}; its standard output, or an AssertionError with its output when it fails. */
  public static String run(String... args) throws Exception {
    Result result = exec(args);
    if (result.exit() != 0) {
      throw new AssertionError("podman " + String.join(" ", args) + " exited " + result.exit() + ":\n"
          + result.output() + result.errors());
    }
    return result.output().strip();
  }

  /** Runs {@code podman args...} and returns its exit code and output, whatever the code. */
  public static Result exec(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    // Without systemd, podman writes warnings on stderr (no syslog, no health check timers): apart
    // from stdout, which carries the answer.
    Path errors = Files.createTempFile("podman-", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
      builder.environment().put("CONTAINERS_CONF", CONF.toString());
      Process process = builder.start();
      // Read before waiting: a full pipe would block podman.
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("podman " + String.join(" ", args) + " still running after " + COMMAND);
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8), Files.readString(errors));
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  /** The exit code, standard output and standard error of one podman command. */
  public record Result(int exit, String output, String errors) {
  }

  /** The network's name; created on first use, with the subnet podman picks. */
  public synchronized String network() throws Exception {
    if (subnetPrefix == null) {
      run("network", "create", network);
      String subnet = run("network", "inspect", "--format", "{{range .Subnets}}{{.Subnet}}{{end}}", network);
      // "10.89.3.0/24": the containers get fixed addresses in it, so that each can list the others.
      if (!subnet.matches("\\d+\\.\\d+\\.\\d+\\.0/24")) {
        throw new AssertionError("podman gave network " + network + " the subnet " + subnet + ", not a /24");
      }
      subnetPrefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
    }
    return network;
  }

  /** The fixed address host {@code host} (2..254) of the network's subnet. */
  public String address(int host) throws Exception {
    network();
    return subnetPrefix + host;
  }

  /**
   * Starts a container of {@link #image()} on the network at {@code address}, with a 512 MiB memory
   * limit (the image sizes its heap from it), each of {@code ports} published on a free port of the
   * host's loopback, and {@code args} after the image name.
   */
  public Container start(String name, String address, List<Integer> ports, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("run", "--detach", "--name", network + "-" + name,
        "--network", network(), "--ip", address, "--memory", "512m"));
    for (int port : ports) {
      command.addAll(List.of("--publish", "127.0.0.1::" + port));
    }
    command.add(image());
    command.addAll(args);
    String id = run(command.toArray(String[]::new));
    Container container = new Container(name, id, address);
    containers.push(container);
    return container;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    close();
  }

  @Override
  public void close() throws Exception {
    Files.createDirectories(LOGS);
    for (Container container = containers.poll(); container != null; container = containers.poll()) {
      Files.writeString(LOGS.resolve("image-" + container.name() + ".log"), container.log());
      exec("rm", "--force", "--time", "0", container.id());
    }
    if (subnetPrefix != null) {
      exec("network", "rm", "--force", network);
      subnetPrefix = null;
    }
  }

  /** One container: its test name, podman id and address on the network. */
  public record Container(String name, String id, String address) {

    /** The host's {@code 127.0.0.1} port that container port {@code port} is published on. */
    public int hostPort(int port) throws Exception {
      String mapping = run("port", id, port + "/tcp");
      return Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1).strip());
    }

    /** What the container wrote to stdout and stderr so far. */
    public String log() throws Exception {
      Result logs = exec("logs", id);
      return logs.output() + logs.errors();
    }

    /** {@code podman inspect --format <template>} of the container. */
    public String inspect(String template) throws Exception {
      return run("inspect", "--format", template, id);
    }

    /** Waits until a line of the container's log matches {@code regex}; fails with its tail, or when it exited. */
    public void awaitLog(String regex, Duration timeout) throws Exception {
      Pattern pattern = Pattern.compile(regex);
      try {
        Await.until(name + " to log " + regex, timeout, () -> {
          if (pattern.matcher(log()).find()) {
            return true;
          }
          if (!"running".equals(inspect("{{.State.Status}}"))) {
            throw new AssertionError(name + " is " + inspect("{{.State.Status}}") + " before logging " + regex);
          }
          return false;
        });
      } catch (AssertionError e) {
        List<String> lines = log().lines().toList();
        throw new AssertionError(e.getMessage() + "\n--- " + name + " log tail ---\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())), e);
      }
    }
  }
}
