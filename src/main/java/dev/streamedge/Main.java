package dev.streamedge;

import dev.streamedge.config.ConfigException;
import dev.streamedge.config.ConfigLoader;
import dev.streamedge.config.StreamedgeConfig;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a node from the command line, the environment and {@code conf/streamedge.yaml}. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    Optional<StreamedgeConfig> config;
    try {
      config = ConfigLoader.load(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println("streamedge: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (config.isEmpty()) {
      return;
    }
    Node.start(config.get()).onComplete(started -> {
      if (started.failed()) {
        LOG.error("start failed: {}", started.cause().getMessage());
        // Logging is asynchronous: flush it before the exit, which runs no hook of log4j's.
        LogManager.shutdown();
        System.exit(1);
      }
      Node node = started.result();
      // SIGTERM (Kubernetes, systemd, docker stop) runs the hooks: drain, then close. The hook's own
      // thread may wait; the drain time bounds the wait.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        node.shutdown().await();
        // log4j2.properties turns log4j's own hook off, so that the drain above is logged to its end.
        LogManager.shutdown();
      }, "streamedge-shutdown"));
    });
  }
}
