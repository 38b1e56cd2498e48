package dev.streamedge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The dashboard in real headless Chromium, through {@code src/test/browser/dashboard.mjs}: commands go to
 * the script, which answers each and reports what the page shows every 200 ms. Its stderr (page console,
 * HTTP errors) goes to {@code target/browser-logs/<name>.log}. Close it to end Chromium.
 */
public final class DashboardBrowser implements AutoCloseable {

  private static final Path DIR = Path.of("src", "test", "browser");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Writer commands;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
  private final AtomicReference<JsonNode> state = new AtomicReference<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  private DashboardBrowser(Process process) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "dashboard-browser-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts Chromium, ready for {@link #open}. */
  public static DashboardBrowser start(String name) throws Exception {
    if (!Files.isDirectory(DIR.resolve("node_modules").resolve("playwright-core"))) {
      throw new IllegalStateException("the browser test packages are not installed: run ./scripts/test");
    }
    Path logs = Path.of("target", "browser-logs");
    Files.createDirectories(logs);
    Process process = new ProcessBuilder(System.getenv().getOrDefault("NODE", "node"),
        DIR.resolve("dashboard.mjs").toString(), "--timeout", "400")
        .redirectError(logs.resolve(name + ".log").toFile())
        .start();
    DashboardBrowser browser = new DashboardBrowser(process);
    browser.ready.get(60, TimeUnit.SECONDS);
    return browser;
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode node = JSON.readTree(line);
        if (node.has("ready")) {
          ready.complete(null);
        } else if (node.has("reply")) {
          CompletableFuture<JsonNode> reply = replies.remove(node.get("reply").asInt());
          if (reply != null) {
            reply.complete(node);
          }
        } else if (node.has("state") && node.get("state").isObject()) {
          state.set(node.get("state"));
        }
      }
    } catch (IOException e) {
      // The script ended: waiting callers time out.
    }
  }

  /** Sends {@code cmd} with {@code args} (name, value pairs) and waits for its answer. */
  public JsonNode command(String cmd, Duration timeout, Object... args) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode command = JSON.createObjectNode().put("id", id).put("cmd", cmd);
    for (int i = 0; i < args.length; i += 2) {
      command.putPOJO((String) args[i], args[i + 1]);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    replies.put(id, reply);
    synchronized (commands) {
      commands.write(JSON.writeValueAsString(command) + "\n");
      commands.flush();
    }
    JsonNode answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(cmd + " failed in the browser: " + answer.get("error").asText());
    }
    return answer;
  }

  /** Opens the dashboard at {@code url} in a {@code width}×{@code height} viewport; its HTTP status. */
  public int open(String url, int width, int height) throws Exception {
    return command("open", Duration.ofSeconds(30), "url", url, "width", width, "height", height)
        .get("status").asInt();
  }

  /** What the page showed last (null before {@link #open}). */
  public JsonNode state() {
    return state.get();
  }

  /** The state of stream {@code id} ("app/key") on the page, or a missing node. */
  public JsonNode stream(String id) {
    JsonNode now = state.get();
    return now == null ? JSON.missingNode() : now.path("streams").path(id);
  }

  /** Waits until the page shows what {@code condition} accepts; the wait in milliseconds. */
  public long await(String what, Duration timeout, Predicate<JsonNode> condition) throws Exception {
    long start = System.nanoTime();
    Await.until(what + " on the dashboard (last: " + abbreviated() + ")", timeout, () -> {
      JsonNode now = state.get();
      return now != null && condition.test(now);
    });
    return (System.nanoTime() - start) / 1_000_000;
  }

  private String abbreviated() {
    JsonNode now = state.get();
    String text = String.valueOf(now);
    return text.length() > 600 ? text.substring(0, 600) + "..." : text;
  }

  /** The number of viewers of {@code protocol} the page shows for stream {@code id}, -1 when none shown. */
  public static int viewers(JsonNode state, String id, String protocol) {
    JsonNode n = state.path("streams").path(id).path("viewers").path(protocol);
    return n.isNumber() ? n.asInt() : -1;
  }

  /** The ids of the clients the page lists with {@code protocol} and {@code role}. */
  public static List<Integer> clients(JsonNode state, String protocol, String role) {
    return java.util.stream.StreamSupport.stream(state.path("clients").spliterator(), false)
        .filter(c -> protocol.equals(c.path("protocol").asText()) && role.equals(c.path("role").asText()))
        .map(c -> c.path("id").asInt())
        .toList();
  }

  @Override
  public void close() throws Exception {
    try {
      command("quit", Duration.ofSeconds(5));
    } catch (Exception e) {
      // ended anyway, below
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      ChildProcesses.stop(process);
    }
  }
}
