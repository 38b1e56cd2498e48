package dev.streamedge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Simulated hosts on one machine: a Linux network namespace per host, each joined by a veth pair to a
 * bridge that lives in a namespace of its own (the "LAN"), and one more veth from the LAN to the test's
 * own namespace, so that the test JVM and its ffmpeg clients reach every host at its own address, as
 * clients on the LAN would. Links between hosts are cut with nftables rules inside the hosts'
 * namespaces, which leaves the clients' links alone; a host can also sit behind a userspace link
 * emulator that delays and loses packets ({@link #hostBehindEmulator}), where the kernel has no netem.
 *
 * <p>Names carry a random run id (namespaces {@code sef<id>-...}, the one interface in the test's
 * namespace {@code sef<id>}), so runs never collide; {@link #close} deletes everything, after killing
 * what still runs inside. Register it with {@code @RegisterExtension} on an instance field, with a
 * lower {@code @Order} than the {@link ChildProcesses} field (extensions close in reverse order, so
 * the processes end first): it skips the test, with the reason, when it is not root or {@code ip netns}
 * or {@code nft} does not work, and cleans up after each test.
 */
public final class NetworkNamespaces implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

  /** A simulated host: its namespace and its address on the LAN. */
  public record Host(String name, String namespace, String address) {

    /** The command prefix that runs a program on this host. */
    public List<String> exec() {
      return List.of("ip", "netns", "exec", namespace);
    }
  }

  private final String id = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()).toLowerCase();
  private final String lan = "sef" + id + "-lan";
  private final Deque<String> namespaces = new ConcurrentLinkedDeque<>();
  private final Deque<Process> emulators = new ConcurrentLinkedDeque<>();
  private final List<Host> hosts = new ArrayList<>();
  private final Thread cleanupAtExit = new Thread(this::deleteQuietly, "netns-cleanup");
  private String subnet;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    Assumptions.assumeTrue(isRoot(), "needs root (CAP_NET_ADMIN) to create network namespaces; CI runs this tier as root");
    Result probe = run(List.of("ip", "netns", "list"));
    Assumptions.assumeTrue(probe.ok(), "ip netns does not work here: " + probe.output());
    Result nft = run(List.of("nft", "--version"));
    Assumptions.assumeTrue(nft.ok(), "nft (Debian's nftables) is missing; scripts/test installs it: " + nft.output());
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** Creates the LAN: a bridge in its own namespace, and the test namespace's address on it (.1). */
  private void start() throws IOException {
    subnet = freeSubnet();
    Runtime.getRuntime().addShutdownHook(cleanupAtExit);
    // Root in a container without CAP_NET_ADMIN or CAP_SYS_ADMIN lists namespaces but cannot make one.
    Result made = run(List.of("ip", "netns", "add", lan));
    Assumptions.assumeTrue(made.ok(), "cannot create a network namespace here (needs CAP_NET_ADMIN and "
        + "CAP_SYS_ADMIN): ip netns add: " + made.output());
    namespaces.push(lan);
    must("ip", "-n", lan, "link", "add", "br0", "type", "bridge");
    must("ip", "-n", lan, "link", "set", "br0", "up");
    must("ip", "link", "add", "sef" + id, "type", "veth", "peer", "name", "up0", "netns", lan);
    must("ip", "-n", lan, "link", "set", "up0", "master", "br0", "up");
    must("ip", "addr", "add", subnet + ".1/24", "dev", "sef" + id);
    must("ip", "link", "set", "sef" + id, "up");
  }

  /** The test namespace's own address on the LAN, the one clients there connect from. */
  public String clientAddress() {
    return subnet + ".1";
  }

  /** A new host on the LAN, at the next address ({@code .11}, {@code .12}, ...). */
  public synchronized Host host(String name) throws IOException {
    int number = hosts.size() + 1;
    String namespace = "sef" + id + "-" + number;
    String address = subnet + "." + (10 + number);
    addNamespace(namespace);
    must("ip", "-n", lan, "link", "add", "h" + number, "type", "veth", "peer", "name", "eth0", "netns", namespace);
    must("ip", "-n", lan, "link", "set", "h" + number, "master", "br0", "up");
    return configure(new Host(name, namespace, address));
  }

  /**
   * A new host on the LAN whose link passes through a userspace link emulator
   * ({@code faults/link-emulator.py}) instead of a veth: every packet between it and {@code peer} is
   * delayed {@code delayMillis} and lost with {@code lossPercent} % chance, each way, as {@code tc netem}
   * on both ends of the link would, where the kernel has no netem. Other packets pass at once. The
   * emulator's output goes to {@code target/node-logs/<name>-link.log}.
   */
  public synchronized Host hostBehindEmulator(String name, Host peer, int delayMillis, int lossPercent)
      throws Exception {
    int number = hosts.size() + 1;
    String namespace = "sef" + id + "-" + number;
    String address = subnet + "." + (10 + number);
    addNamespace(namespace);
    must("ip", "-n", lan, "tuntap", "add", "mode", "tap", "name", "h" + number);
    must("ip", "-n", lan, "link", "set", "h" + number, "master", "br0", "up");
    must("ip", "-n", namespace, "tuntap", "add", "mode", "tap", "name", "eth0");
    Path script = Path.of(NetworkNamespaces.class.getResource("/faults/link-emulator.py").toURI());
    Path log = Path.of("target", "node-logs", name + "-link.log");
    Files.createDirectories(log.getParent());
    // The emulator moves itself into the LAN's namespace, so close() finds and kills it there too.
    Process emulator = new ProcessBuilder("python3", script.toString(), namespace, "eth0", lan, "h" + number, address,
        peer.address(), Integer.toString(delayMillis), Integer.toString(lossPercent))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    emulators.push(emulator);
    Await.until(name + "'s link emulator to start", Duration.ofSeconds(10), () -> {
      if (!emulator.isAlive()) {
        throw new AssertionError("link emulator exited: " + Files.readString(log));
      }
      return Files.readString(log).contains("link emulator up");
    });
    return configure(new Host(name, namespace, address));
  }

  private Host configure(Host host) throws IOException {
    String namespace = host.namespace();
    must("ip", "-n", namespace, "addr", "add", host.address() + "/24", "dev", "eth0");
    must("ip", "-n", namespace, "link", "set", "eth0", "up");
    must("ip", "-n", namespace, "link", "set", "lo", "up");
    // One nftables table per host, with an empty chain each way: the faults go in as rules.
    nft(namespace, "add table inet faults");
    nft(namespace, "add chain inet faults in { type filter hook input priority 0 ; }");
    nft(namespace, "add chain inet faults out { type filter hook output priority 0 ; }");
    hosts.add(host);
    return host;
  }

  /**
   * Cuts every packet between {@code a} and {@code b}, both ways, silently (a drop, not a refusal), as a
   * failed switch or a firewall would: TCP connections between them stall instead of failing.
   */
  public void partition(Host a, Host b) throws IOException {
    dropBetween(a, b);
    dropBetween(b, a);
  }

  /** Loses {@code percent} % of the packets {@code from} sends {@code to}, at random (nftables numgen). */
  public void loss(Host from, Host to, int percent) throws IOException {
    nft(from.namespace(), "add rule inet faults out ip daddr " + to.address() + " numgen random mod 100 < " + percent
        + " drop");
  }

  /** Removes every fault of {@code hosts}: partitions and losses heal at once. */
  public void heal(Host... healed) throws IOException {
    for (Host host : healed) {
      nft(host.namespace(), "flush chain inet faults in");
      nft(host.namespace(), "flush chain inet faults out");
    }
  }

  private void dropBetween(Host at, Host peer) throws IOException {
    nft(at.namespace(), "add rule inet faults in ip saddr " + peer.address() + " drop");
    nft(at.namespace(), "add rule inet faults out ip daddr " + peer.address() + " drop");
  }

  private void nft(String namespace, String rule) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "nft"));
    command.addAll(List.of(rule.split(" ")));
    must(command.toArray(String[]::new));
  }

  private void addNamespace(String namespace) throws IOException {
    must("ip", "netns", "add", namespace);
    namespaces.push(namespace);
  }

  /** Kills what still runs in the namespaces and deletes them; the veths go with them. */
  @Override
  public void close() {
    deleteQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down already, or never started
    }
  }

  private void deleteQuietly() {
    Process emulator;
    while ((emulator = emulators.poll()) != null) {
      emulator.destroyForcibly();
    }
    String namespace;
    while ((namespace = namespaces.poll()) != null) {
      for (String pid : run(List.of("ip", "netns", "pids", namespace)).output().split("\\s+")) {
        if (!pid.isBlank()) {
          run(List.of("kill", "-9", pid.trim()));
        }
      }
      run(List.of("ip", "netns", "del", namespace));
    }
    // Deleting the LAN namespace deleted the test namespace's end of its veth; this is for a LAN never made.
    if (!run(List.of("ip", "link", "show", "sef" + id)).output().isBlank()) {
      run(List.of("ip", "link", "del", "sef" + id));
    }
  }

  /** A 10.201.x.0/24 that no interface of the test namespace is on. */
  private static String freeSubnet() {
    String addresses = run(List.of("ip", "-4", "-o", "addr")).output();
    for (int attempt = 0; attempt < 50; attempt++) {
      String candidate = "10.201." + ThreadLocalRandom.current().nextInt(256);
      if (!addresses.contains(" " + candidate + ".")) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free 10.201.x.0/24 subnet");
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void must(String... command) throws IOException {
    Result result = run(List.of(command));
    if (!result.ok()) {
      throw new IOException(String.join(" ", command) + " failed: " + result.output());
    }
  }

  private record Result(boolean ok, String output) {
  }

  private static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(false, "timed out");
      }
      return new Result(process.exitValue() == 0, output);
    } catch (IOException e) {
      return new Result(false, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, e.toString());
    }
  }
}
