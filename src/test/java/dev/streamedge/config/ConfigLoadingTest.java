package dev.streamedge.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.PublishPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class ConfigLoadingTest {

  @TempDir
  Path dir;

  private final StringWriter printed = new StringWriter();

  @Test
  void withoutFileEnvironmentOrOptionsTheBuiltInDefaultsApply() {
    StreamedgeConfig config = load(Map.of());

    assertThat(config).isEqualTo(ConfigLoader.defaults());
    assertThat(config.rtmp().host()).isEqualTo("0.0.0.0");
    assertThat(config.rtmp().port()).isEqualTo(1935);
    assertThat(config.rtmp().maxMessageSize()).isEqualTo(ByteSize.ofMiB(8));
    assertThat(config.rtmp().maxMetadataSize()).isEqualTo(ByteSize.ofKiB(64));
    assertThat(config.rtmp().maxMetadataPerSecond()).isEqualTo(10);
    assertThat(config.log().maxLinesPerSecond()).isEqualTo(20);
    assertThat(config.rtmp().handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.rtmp().windowAckSize()).isEqualTo(2_500_000);
    assertThat(config.rtmp().rtmps().port()).isEqualTo(1936);
    assertThat(config.rtmp().rtmps().enabled()).isFalse();
    assertThat(config.stream().publishPolicy()).isEqualTo(PublishPolicy.TAKEOVER);
    assertThat(config.stream().takeoverAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.stream().maxTakeoversPerMinute()).isEqualTo(6);
    assertThat(config.stream().gopCache().maxBytes()).isEqualTo(ByteSize.ofMiB(16));
    assertThat(config.player().socketWriteBuffer()).isEqualTo(ByteSize.ofKiB(256));
    assertThat(config.player().socketSendBuffer()).isEqualTo(ByteSize.ofMiB(1));
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(config.cluster().port()).isEqualTo(5701);
    assertThat(config.cluster().heartbeat()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.cluster().maxNoHeartbeat()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theIssuesLoopbackMemberStartsFromTheEnvironmentAndClusterIsShortForClusterEnabled() {
    ClusterConfig fromEnv = load(Map.of("STREAMEDGE_CLUSTER_ENABLED", "true", "STREAMEDGE_CLUSTER_PORT", "5801",
        "STREAMEDGE_CLUSTER_MEMBERS", "127.0.0.1:5801,127.0.0.1:5802")).cluster();
    assertThat(fromEnv.enabled()).isTrue();
    assertThat(fromEnv.port()).isEqualTo(5801);
    assertThat(fromEnv.memberList()).containsExactly("127.0.0.1:5801", "127.0.0.1:5802");

    assertThat(load(Map.of(), "--cluster", "--cluster.members=127.0.0.1:5801").cluster().enabled()).isTrue();
    assertThat(load(Map.of(), "--cluster", "--cluster.enabled=false").cluster().enabled()).isFalse();
    assertThat(load(Map.of("STREAMEDGE_CLUSTER_MEMBERS", "127.0.0.1:5801", "STREAMEDGE_CLUSTER_EVENTBUS_PUBLIC_HOST",
        "node1.example"), "--cluster").cluster().eventbus().publicHost()).isEqualTo("node1.example");
  }

  @Test
  void defaultFileIsReadWhenItExists() throws IOException {
    Files.writeString(dir.resolve("absent.yaml"), "rtmp:\n  port: 2000\n");

    assertThat(load(Map.of()).rtmp().port()).isEqualTo(2000);
  }

  @Test
  void fileOverridesDefaultsAndLeavesOtherKeysAlone() throws IOException {
    Path file = file("rtmp:\n  port: 2000\nstream:\n  publish-policy: reject\n");

    StreamedgeConfig config = load(Map.of(), "--config", file.toString());

    assertThat(config.rtmp().port()).isEqualTo(2000);
    assertThat(config.stream().publishPolicy()).isEqualTo(PublishPolicy.REJECT);
    assertThat(config.rtmp().chunkSize()).isEqualTo(4096);
    assertThat(config.stream().gopCache()).isEqualTo(ConfigLoader.defaults().stream().gopCache());
  }

  @Test
  void givenConfigFileReplacesTheDefaultFile() throws IOException {
    Files.writeString(dir.resolve("absent.yaml"), "rtmp:\n  port: 2000\n  chunk-size: 256\n");
    Path file = file("rtmp:\n  port: 3000\n");

    StreamedgeConfig config = load(Map.of(), "-c", file.toString());

    assertThat(config.rtmp().port()).isEqualTo(3000);
    assertThat(config.rtmp().chunkSize()).isEqualTo(4096);
  }

  @Test
  void environmentOverridesFile() throws IOException {
    Path file = file("rtmp:\n  port: 2000\n  host: 127.0.0.1\n");

    StreamedgeConfig config = load(Map.of("STREAMEDGE_RTMP_PORT", "2001"), "--config=" + file);

    assertThat(config.rtmp().port()).isEqualTo(2001);
    assertThat(config.rtmp().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void commandLineOverridesEnvironment() throws IOException {
    Path file = file("rtmp:\n  port: 2000\n");

    StreamedgeConfig config = load(Map.of("STREAMEDGE_RTMP_PORT", "2001", "STREAMEDGE_RTMP_HOST", "::1"),
        "--config", file.toString(), "--rtmp.port=2002");

    assertThat(config.rtmp().port()).isEqualTo(2002);
    assertThat(config.rtmp().host()).isEqualTo("::1");
  }

  @Test
  void commandLineOptionTakesItsValueAfterEqualsOrAsNextArgument() {
    assertThat(load(Map.of(), "--rtmp.port", "1940").rtmp().port()).isEqualTo(1940);
    assertThat(load(Map.of(), "--stream.publish-policy=reject").stream().publishPolicy())
        .isEqualTo(PublishPolicy.REJECT);
  }

  @Test
  void nestedAndDashedKeysMapToEnvironmentVariablesByTheNamingRule() {
    StreamedgeConfig config = load(Map.of(
        "STREAMEDGE_STREAM_GOP_CACHE_MAX_BYTES", "1MiB",
        "STREAMEDGE_RTMP_RTMPS_PORT", "8443",
        "STREAMEDGE_RTMP_MAX_STREAMS_PER_CONNECTION", "3"));

    assertThat(config.stream().gopCache().maxBytes()).isEqualTo(ByteSize.ofMiB(1));
    assertThat(config.rtmp().rtmps().port()).isEqualTo(8443);
    assertThat(config.rtmp().maxStreamsPerConnection()).isEqualTo(3);
  }

  @Test
  void everyKeyHasItsOwnEnvironmentVariableAndOption() {
    ConfigKey key = ConfigKeys.all().stream()
        .filter(k -> k.name().equals("stream.gop-cache.max-bytes")).findFirst().orElseThrow();

    assertThat(key.envName()).isEqualTo("STREAMEDGE_STREAM_GOP_CACHE_MAX_BYTES");
    assertThat(key.optionName()).isEqualTo("--stream.gop-cache.max-bytes");
    assertThat(ConfigKeys.all()).extracting(ConfigKey::envName).doesNotHaveDuplicates();
  }

  @Test
  void variablesWithoutTheStreamedgePrefixAreIgnored() {
    assertThat(load(Map.of("PATH", "/usr/bin", "RTMP_PORT", "1", "STREAMEDGE", "x")))
        .isEqualTo(ConfigLoader.defaults());
  }

  @ParameterizedTest
  @CsvSource({
      "1500ms, PT1.5S",
      "5s,    PT5S",
      "2m,    PT2M",
      "1h,    PT1H",
      "300s,  PT5M",
  })
  void durationsAreWrittenWithAUnit(String text, Duration expected) {
    assertThat(load(Map.of(), "--rtmp.idle-publisher-timeout=" + text).rtmp().idlePublisherTimeout())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "1048576, 1048576",
      "512KiB,  524288",
      "4MiB,    4194304",
      "4mib,    4194304",
      "1GiB,    1073741824",
  })
  void sizesAreBytesOrUseABinaryUnit(String text, long bytes) {
    assertThat(load(Map.of(), "--player.queue-max-bytes=" + text).player().queueMaxBytes().bytes()).isEqualTo(bytes);
  }

  @Test
  void sizesAndDurationsPrintTheWayTheFileWritesThem() {
    assertThat(ByteSize.parse("1048576")).hasToString("1MiB");
    assertThat(new ByteSize(1500)).hasToString("1500");
    assertThat(Durations.format(Duration.ofMillis(300_000))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void zeroTurnsPingsAndTheGopCacheOff() {
    StreamedgeConfig config = load(Map.of("STREAMEDGE_RTMP_PING_INTERVAL", "0"), "--stream.gop-cache.max-bytes=0");

    assertThat(config.rtmp().pingInterval()).isZero();
    assertThat(config.stream().gopCache().enabled()).isFalse();
    assertThat(load(Map.of(), "--rtmp.ping-interval=0s").rtmp().pingInterval()).isZero();
  }

  @Test
  void rtmpsIsOnWhenCertificateAndKeyAreBothReadable() throws IOException {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "not parsed here");
    Path key = Files.writeString(dir.resolve("key.pem"), "not parsed here");

    RtmpConfig.Rtmps rtmps = load(Map.of("STREAMEDGE_RTMP_RTMPS_CERT", cert.toString()),
        "--rtmp.rtmps.key=" + key).rtmp().rtmps();

    assertThat(rtmps.enabled()).isTrue();
    assertThat(rtmps.cert()).isEqualTo(cert.toString());
    assertThat(rtmps.key()).isEqualTo(key.toString());
  }

  @Test
  void emptyFileAndSectionsWithEveryKeyCommentedOutKeepTheDefaults() throws IOException {
    assertThat(load(Map.of(), "-c", file("# nothing set\n").toString())).isEqualTo(ConfigLoader.defaults());
    assertThat(load(Map.of(), "-c", file("rtmp:\n  # port: 1\nplayer:\n").toString()))
        .isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void helpListsEveryKeyWithItsDefaultAndEnvironmentVariableAndEndsTheProgram() {
    Optional<StreamedgeConfig> result = ConfigLoader.load(new String[] {"--help"}, Map.of(), absent(), out());

    assertThat(result).isEmpty();
    String help = printed.toString().replaceAll("\\s+", " ");
    assertThat(help).contains("--config", "--version", "--cluster Join a cluster: short for --cluster.enabled=true");
    for (ConfigKey key : ConfigKeys.all()) {
      String shownDefault = key.defaultValue().isEmpty() ? "\"\"" : key.defaultValue();
      assertThat(help).contains(key.optionName() + "=" + key.rule().label())
          .contains("Default: " + shownDefault + ", env: " + key.envName());
    }
  }

  @Test
  void helpIsPrintedEvenWhenTheEnvironmentHoldsAMistake() {
    assertThat(ConfigLoader.load(new String[] {"-h"}, Map.of("STREAMEDGE_RTMP_PROT", "1"), absent(), out()))
        .isEmpty();
  }

  @Test
  void versionIsPrintedAndEndsTheProgram() {
    assertThat(ConfigLoader.load(new String[] {"-V"}, Map.of(), absent(), out())).isEmpty();
    assertThat(printed.toString()).startsWith("streamedge ");
  }

  private StreamedgeConfig load(Map<String, String> env, String... args) {
    return ConfigLoader.load(args, env, absent(), out()).orElseThrow();
  }

  /** The default file's place; tests that want a default file write one there. */
  private Path absent() {
    return dir.resolve("absent.yaml");
  }

  private PrintWriter out() {
    return new PrintWriter(printed);
  }

  private Path file(String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "streamedge", ".yaml"), yaml);
  }
}
