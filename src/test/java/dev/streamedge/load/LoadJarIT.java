package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Clients;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The load generator's own jar, target/streamedge-load.jar, as bench/run runs it: alone on its
 * classpath, with RTMP, HTTP-FLV and HLS players against a real node. The server's jar,
 * target/streamedge.jar, carries neither the load generator nor HdrHistogram.
 */
@Tag("e2e")
class LoadJarIT {

  private static final Path LOAD_JAR = Path.of("target", "streamedge-load.jar");
  private static final Path SERVER_JAR = Path.of("target", "streamedge.jar");

  @Test
  void theLoadJarAloneMeasuresRtmpHttpFlvAndHlsPlayers() throws Exception {
    try (TestNode node = TestNode.start("--hls.target-duration=1s")) {
      Path report = Clients.output("load-jar.json");
      Path log = Clients.output("load-jar.log");
      Process load = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", LOAD_JAR.toString(), "--json", "--url", node.rtmpUrl("jar"),
          "--flv", TestMedia.audioVideo(3, 1).toString(), "--players", "4",
          "--http-flv-players", "2", "--http-flv-url", node.httpUrl("/live/jar.flv"),
          "--hls-players", "1", "--hls-url", node.httpUrl("/hls/live/jar/ts.m3u8"),
          "--ramp", "50", "--warmup", "2", "--duration", "3",
          "--server-pid", Long.toString(ProcessHandle.current().pid()))
          .redirectOutput(report.toFile()).redirectError(log.toFile()).start();
      try {
        assertThat(load.waitFor(60, TimeUnit.SECONDS)).as("load generator done").isTrue();
      } finally {
        load.destroyForcibly();
      }
      String errors = Files.readString(log);
      assertThat(load.exitValue()).as(errors).isZero();
      // A class the jar lacks fails only the code path that needs it, maybe on an event loop, logged.
      assertThat(errors).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");

      JsonObject json = new JsonObject(Files.readString(report));
      String text = json.encodePrettily();
      assertThat(json.getJsonObject("players").getInteger("ok")).as(text).isEqualTo(7);
      assertThat(json.getJsonObject("frames").getLong("published")).as(text).isPositive();
      assertThat(json.getJsonObject("frames").getLong("missing")).as(text).isZero();
      for (String protocol : List.of("rtmp", "http-flv", "hls")) {
        JsonObject figures = json.getJsonObject("byProtocol").getJsonObject(protocol);
        assertThat(figures.getLong("framesReceived")).as(protocol + ": " + text).isPositive();
        assertThat(figures.getJsonObject("latencyMs").getLong("count")).as(protocol + ": " + text).isPositive();
      }
      assertThat(json.getJsonObject("server").getDouble("cpuSeconds")).as(text).isPositive();
    }
  }

  @Test
  void theServerJarHoldsTheServerAndTheLoadJarTheLoadGenerator() throws Exception {
    try (JarFile server = new JarFile(SERVER_JAR.toFile()); JarFile load = new JarFile(LOAD_JAR.toFile())) {
      assertThat(server.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.streamedge.Main");
      assertThat(server.stream().map(JarEntry::getName))
          .contains("dev/streamedge/Main.class", "log4j2.properties")
          .noneMatch(name -> name.startsWith("dev/streamedge/load/") || name.startsWith("org/HdrHistogram/")
              || name.equals("log4j2-load.xml"));

      assertThat(load.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("dev.streamedge.load.LoadMain");
      assertThat(load.stream().map(JarEntry::getName))
          .contains("dev/streamedge/load/LoadMain.class", "org/HdrHistogram/Histogram.class", "log4j2-load.xml",
              "dev/streamedge/rtmp/client/RtmpPlayClient.class")
          .noneMatch(name -> name.startsWith("com/hazelcast/"));
    }
  }
}
