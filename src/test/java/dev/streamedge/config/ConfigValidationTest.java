package dev.streamedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.auth.AuthMode;
import dev.streamedge.auth.DownAnswer;
import dev.streamedge.relay.PullSource;
import dev.streamedge.relay.PullUrl;
import dev.streamedge.relay.PushTarget;
import dev.streamedge.stream.StreamKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class ConfigValidationTest {

  private static final String SIZE_UNITS = " (bytes, or with unit KiB, MiB, GiB)";
  private static final String DURATION_UNITS = " (units ms, s, m, h)";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}: {1} and {3} allowed, {2} and {4} not")
  @CsvSource(delimiter = '|', textBlock = """
      rtmp.port                       | 1     | 0         | 65535      | 65536      | an integer from 1 to 65535
      rtmp.chunk-size                 | 128   | 127       | 16777215   | 16777216   | an integer from 128 to 16777215
      rtmp.max-chunk-size             | 128   | 127       | 2147483647 | 2147483648 | an integer from 128 to 2147483647
      rtmp.max-message-size           | 1KiB  | 1023      | 16777215   | 16MiB      | a size from 1KiB to 16777215
      rtmp.max-metadata-size          | 1KiB  | 1023      | 16777215   | 16MiB      | a size from 1KiB to 16777215
      rtmp.max-metadata-per-second    | 1     | 0         | 1000       | 1001       | an integer from 1 to 1000
      rtmp.max-connections            | 1     | 0         | 1000000    | 1000001    | an integer from 1 to 1000000
      rtmp.max-connections-per-address | 0    | -1        | 1000000    | 1000001    | an integer from 0 to 1000000
      rtmp.max-message-size-before-publish | 1KiB | 1023    | 16777215   | 16MiB      | a size from 1KiB to 16777215
      rtmp.partial-message-timeout    | 1s    | 999ms     | 10m        | 600001ms   | a duration from 1s to 10m
      rtmp.publish-or-play-timeout    | 1s    | 999ms     | 1h         | 3600001ms  | a duration from 1s to 1h
      rtmp.max-streams-per-connection | 1     | 0         | 1024       | 1025       | an integer from 1 to 1024
      rtmp.handshake-timeout          | 100ms | 99ms      | 5m         | 300001ms   | a duration from 100ms to 5m
      rtmp.idle-publisher-timeout     | 1s    | 999ms     | 1h         | 3600001ms  | a duration from 1s to 1h
      rtmp.ping-interval              | 1s    | 999ms     | 10m        | 600001ms   | 0 (off) or a duration from 1s to 10m
      rtmp.ping-timeout               | 1s    | 999ms     | 1h         | 3600001ms  | a duration from 1s to 1h
      rtmp.window-ack-size            | 1     | 0         | 2147483647 | 2147483648 | an integer from 1 to 2147483647
      rtmp.rtmps.port                 | 1     | 0         | 65535      | 65536      | an integer from 1 to 65535
      srt.port                        | 1     | 0         | 65535      | 65536      | an integer from 1 to 65535
      srt.max-connections             | 1     | 0         | 10000      | 10001      | an integer from 1 to 10000
      srt.latency                     | 0     | -1ms      | 10s        | 10001ms    | a duration from 0 to 10s
      srt.max-buffered-packets        | 32    | 31        | 65536      | 65537      | an integer from 32 to 65536
      srt.peer-idle-timeout           | 2s    | 1999ms    | 5m         | 300001ms   | a duration from 2s to 5m
      srt.max-frame-size              | 64KiB | 65535     | 16777215   | 16MiB      | a size from 64KiB to 16777215
      rtsp.port                       | 1     | 0         | 65535      | 65536      | an integer from 1 to 65535
      rtsp.max-connections            | 1     | 0         | 100000     | 100001     | an integer from 1 to 100000
      rtsp.max-request-size           | 1KiB  | 1023      | 1MiB       | 1048577    | a size from 1KiB to 1MiB
      rtsp.idle-timeout               | 1s    | 999ms     | 1h         | 3600001ms  | a duration from 1s to 1h
      rtsp.describe-timeout           | 100ms | 99ms      | 1m         | 60001ms    | a duration from 100ms to 1m
      rtsp.max-packet-size            | 200   | 199       | 65000      | 65001      | an integer from 200 to 65000
      stream.gop-cache.max-bytes      | 0     | -1        | 1GiB       | 1073741825 | a size from 0 to 1GiB
      stream.takeover-after           | 0     | -1ms      | 1h         | 3601s      | a duration from 0 to 1h
      stream.max-takeovers-per-minute | 1     | 0         | 1000       | 1001       | an integer from 1 to 1000
      stream.gop-cache.max-frames     | 1     | 0         | 100000     | 100001     | an integer from 1 to 100000
      player.queue-max-bytes          | 64KiB | 65535     | 1GiB       | 1073741825 | a size from 64KiB to 1GiB
      player.queue-max-delay          | 100ms | 99ms      | 1m         | 60001ms    | a duration from 100ms to 1m
      player.max-behind               | 1s    | 999ms     | 10m        | 600001ms   | a duration from 1s to 10m
      rtmp.max-incomplete-bytes       | 1MiB  | 1048575   | 16GiB      | 17179869185 | a size from 1MiB to 16GiB
      rtmp.max-chunk-streams          | 2     | 1         | 65598      | 65599      | an integer from 2 to 65598
      http.port                       | 1     | 0         | 65535      | 65536      | an integer from 1 to 65535
      http.max-connections            | 1     | 0         | 1000000    | 1000001    | an integer from 1 to 1000000
      http.max-connections-per-address | 0    | -1        | 1000000    | 1000001    | an integer from 0 to 1000000
      http.header-timeout             | 100ms | 99ms      | 10m        | 600001ms   | a duration from 100ms to 10m
      http.body-timeout               | 100ms | 99ms      | 10m        | 600001ms   | a duration from 100ms to 10m
      http.idle-timeout               | 1s    | 999ms     | 1h         | 3600001ms  | a duration from 1s to 1h
      metrics.port                    | 0     | -1        | 65535      | 65536      | an integer from 0 to 65535
      metrics.max-connections         | 1     | 0         | 10000      | 10001      | an integer from 1 to 10000
      hls.playlist-length             | 2     | 1         | 60         | 61         | an integer from 2 to 60
      hls.kept-segments               | 0     | -1        | 60         | 61         | an integer from 0 to 60
      player.socket-write-buffer      | 16KiB | 16383     | 64MiB      | 67108865   | a size from 16KiB to 64MiB
      player.socket-send-buffer       | 16KiB | 16383     | 64MiB      | 67108865   | a size from 16KiB to 64MiB
      player.merge-write              | 0     | -1ms      | 1s         | 1001ms     | a duration from 0 to 1s
      player.max-added-latency        | 0     | -1ms      | 1s         | 1001ms     | a duration from 0 to 1s
      player.quiet-write-rate         | 100   | 99        | 10000000   | 10000001   | an integer from 100 to 10000000
      player.flv-republish-wait       | 0     | -1ms      | 1m         | 60001ms    | a duration from 0 to 1m
      record.max-duration             | 1s    | 999ms     | 168h       | 604801s    | 0 (off) or a duration from 1s to 168h
      record.max-size                 | 0     | -1        | 1024GiB    | 1099511627777 | a size from 0 to 1024GiB
      record.keep                     | 1m    | 59s       | 87600h     | 87601h     | 0 (off) or a duration from 1m to 87600h
      record.max-queued               | 64KiB | 65535     | 1GiB       | 1073741825 | a size from 64KiB to 1GiB
      cluster.port                    | 1     | 0         | 65535      | 65536      | an integer from 1 to 65535
      cluster.eventbus.port           | 0     | -1        | 65535      | 65536      | an integer from 0 to 65535
      cluster.eventbus.public-port    | 0     | -1        | 65535      | 65536      | an integer from 0 to 65535
      cluster.heartbeat               | 1s    | 999ms     | 1m         | 61s        | whole seconds from 1s to 1m
      cluster.max-no-heartbeat        | 2s    | 1999ms    | 10m        | 601s       | whole seconds from 2s to 10m
      cluster.join-timeout            | 1s    | 999ms     | 1m         | 61s        | whole seconds from 1s to 1m
      cluster.pull-linger             | 0s    | -1s       | 1h         | 3601s      | a duration from 0 to 1h
      shutdown.drain-time             | 0s    | -1s       | 10m        | 601s       | a duration from 0 to 10m
      node.event-loops                | 0     | -1        | 1024       | 1025       | an integer from 0 to 1024
      log.max-lines-per-second        | 1     | 0         | 100000     | 100001     | an integer from 1 to 100000
      cluster.link-window             | 256KiB | 262143   | 1GiB       | 1073741825 | a size from 256KiB to 1GiB
      auth.callback.timeout           | 100ms | 99ms      | 1m         | 60001ms    | a duration from 100ms to 1m
      auth.callback.cache-ttl         | 0     | -1s       | 1h         | 3601s      | a duration from 0 to 1h
      auth.callback.cache-size        | 1     | 0         | 1000000    | 1000001    | an integer from 1 to 1000000
      auth.callback.max-in-flight     | 1     | 0         | 10000      | 10001      | an integer from 1 to 10000
      relay.push-queue-max-bytes      | 64KiB | 65535     | 1GiB       | 1073741825 | a size from 64KiB to 1GiB
      relay.pull-on-demand-max        | 1     | 0         | 100000     | 100001     | an integer from 1 to 100000
      relay.pull-linger               | 0s    | -1s       | 1h         | 3601s      | a duration from 0 to 1h
      relay.reconnect-min        | 100ms | 99ms      | 1m         | 60001ms    | a duration from 100ms to 1m
      relay.reconnect-max        | 100ms | 99ms      | 1h         | 3600001ms  | a duration from 100ms to 1h
      relay.connect-timeout              | 100ms | 99ms      | 10m        | 600001ms   | a duration from 100ms to 10m
      thumbnail.width                 | 16    | 15        | 3840       | 3841       | an integer from 16 to 3840
      thumbnail.max-age               | 1s    | 999ms     | 1h         | 3601s      | a duration from 1s to 1h
      thumbnail.timeout               | 1s    | 999ms     | 1m         | 60001ms    | a duration from 1s to 1m
      thumbnail.max-processes         | 1     | 0         | 64         | 65         | an integer from 1 to 64
      thumbnail.max-cached            | 1     | 0         | 100000     | 100001     | an integer from 1 to 100000
      thumbnail.max-size              | 16KiB | 16383     | 64MiB      | 67108865   | a size from 16KiB to 64MiB
      """)
  void eachBoundIsAllowedAndOneStepBeyondItIsNot(
      String key, String lowest, String belowLowest, String highest, String aboveHighest, String range) {
    String allowed = range + (range.startsWith("a size") ? SIZE_UNITS : range.startsWith("an integer") ? "" : DURATION_UNITS);
    // The heartbeat's own bounds are tested with a failure-detection time that allows all of them.
    // The backoff's maximum and minimum are tested with the other one at a value that allows all of them.
    String[] others = key.equals("cluster.heartbeat") ? new String[] {"--cluster.max-no-heartbeat=10m"}
        : key.equals("relay.reconnect-max") ? new String[] {"--relay.reconnect-min=100ms"}
        : key.equals("relay.reconnect-min") ? new String[] {"--relay.reconnect-max=1h"} : new String[0];

    assertThatCode(() -> load(Map.of(), with(others, "--" + key + "=" + lowest))).doesNotThrowAnyException();
    assertThatCode(() -> load(Map.of(), with(others, "--" + key + "=" + highest))).doesNotThrowAnyException();
    assertRefused(Map.of(), "config key " + key + ": \"" + belowLowest + "\" is not allowed: " + allowed,
        with(others, "--" + key + "=" + belowLowest));
    assertRefused(Map.of(), "config key " + key + ": \"" + aboveHighest + "\" is not allowed: " + allowed,
        with(others, "--" + key + "=" + aboveHighest));
  }

  @Test
  void aValueOfTheWrongTypeNamesTheKeyAndWhatIsAllowed() {
    assertRefused(Map.of("STREAMEDGE_RTMP_PORT", "abc"),
        "config key rtmp.port: \"abc\" is not allowed: an integer from 1 to 65535");
    assertRefused(Map.of(), "config key rtmp.port: \"+80\" is not allowed: an integer from 1 to 65535",
        "--rtmp.port=+80");
    assertRefused(Map.of(), "config key stream.publish-policy: \"kick\" is not allowed: one of takeover, reject",
        "--stream.publish-policy=kick");
    assertRefused(Map.of(), "config key stream.publish-policy: \"TAKEOVER\" is not allowed: one of takeover, reject",
        "--stream.publish-policy=TAKEOVER");
    assertRefused(Map.of(), "config key record.format: \"mp4\" is not allowed: one of flv, fmp4",
        "--record.format=mp4");
    assertThat(load(Map.of(), "--record.format=fmp4").record().format()).isEqualTo("fmp4");
    assertRefused(Map.of("STREAMEDGE_RTMP_HANDSHAKE_TIMEOUT", "5"),
        "config key rtmp.handshake-timeout: \"5\" is not allowed: a duration from 100ms to 5m" + DURATION_UNITS);
    assertRefused(Map.of(), "config key rtmp.handshake-timeout: \"1.5s\" is not allowed: a duration from 100ms to 5m"
        + DURATION_UNITS, "--rtmp.handshake-timeout=1.5s");
    assertRefused(Map.of(), "config key player.queue-max-bytes: \"4MB\" is not allowed: a size from 64KiB to 1GiB"
        + SIZE_UNITS, "--player.queue-max-bytes=4MB");
    assertRefused(Map.of(), "config key rtmp.host: \"\" is not allowed: a host name or IP address", "--rtmp.host=");
    assertRefused(Map.of(), "config key srt.default-app: \"a/b\" is not allowed: a name of 1 to 128 of A-Z a-z 0-9 . _ ~ -",
        "--srt.default-app=a/b");
  }

  @Test
  void aFileValueOfTheWrongShapeNamesTheKeyAndWhatIsAllowed() throws IOException {
    assertRefused(Map.of(), "config key rtmp.port: \"1935.5\" is not allowed: an integer from 1 to 65535",
        "-c", file("rtmp:\n  port: 1935.5\n"));
    assertRefused(Map.of(), "config key rtmp.port: [1,2] is not allowed: an integer from 1 to 65535",
        "-c", file("rtmp:\n  port: [1, 2]\n"));
    assertRefused(Map.of(), "config key rtmp.port: null is not allowed: an integer from 1 to 65535",
        "-c", file("rtmp:\n  port:\n"));
    assertRefused(Map.of(), "config key stream.gop-cache: \"16MiB\" is not allowed: a section holding max-bytes, max-frames",
        "-c", file("stream:\n  gop-cache: 16MiB\n"));
  }

  @Test
  void anUnknownKeyInTheFileIsRefusedWithTheKeysThatExistThere() throws IOException {
    String file = file("rtmp:\n  prot: 1936\n");
    assertRefused(Map.of(), "config file " + file + ": rtmp.prot is not a config key; rtmp has host, port, "
        + "chunk-size, max-chunk-size, max-message-size, max-message-size-before-publish, max-held-before-publish, "
        + "max-metadata-size, "
        + "max-metadata-per-second, max-incomplete-bytes, "
        + "partial-message-timeout, max-chunk-streams, max-connections, max-connections-per-address, "
        + "max-streams-per-connection, handshake-timeout, publish-or-play-timeout, idle-publisher-timeout, idle-streams, "
        + "ping-interval, "
        + "ping-timeout, window-ack-size, proxy-protocol, local-port, rtmpe, rtmps",
        "-c", file);

    String topLevel = file("clustr:\n  enabled: true\n");
    assertRefused(Map.of(), "config file " + topLevel + ": clustr is not a config key; the top level has rtmp, rtmpt, srt, rtsp, stream, player, "
        + "http, metrics, hls, hls-sessions, record, vod, transcode, cluster, auth, relay, api, ui, thumbnail, shutdown, node, log, exec", "-c", topLevel);
  }

  @Test
  void anUnknownStreamedgeVariableIsRefusedRatherThanIgnored() {
    assertRefused(Map.of("STREAMEDGE_RTMP_PROT", "1936"), "STREAMEDGE_RTMP_PROT is not a config key");
  }

  @Test
  void anUnknownOptionOrStrayArgumentIsRefusedWithPicocliMessage() {
    assertRefused(Map.of(), "Unknown option: '--rtmp.prot=1936'", "--rtmp.prot=1936");
    assertRefused(Map.of(), "Unknown option: '--clustered'", "--clustered");
    assertRefused(Map.of(), "Unmatched argument at index 0: 'start'", "start");
    assertRefused(Map.of(), "Missing required parameter for option '--rtmp.port' (<int>)", "--rtmp.port");
  }

  @Test
  void halfAnRtmpsSetupIsRefused() throws IOException {
    String pem = Files.writeString(dir.resolve("cert.pem"), "pem").toString();

    assertRefused(Map.of(), "config key rtmp.rtmps.key: \"\" is not allowed: "
        + "a readable file, since rtmp.rtmps.cert is set and RTMPS needs both", "--rtmp.rtmps.cert=" + pem);
    assertRefused(Map.of("STREAMEDGE_RTMP_RTMPS_KEY", pem), "config key rtmp.rtmps.cert: \"\" is not allowed: "
        + "a readable file, since rtmp.rtmps.key is set and RTMPS needs both");
  }

  @Test
  void halfAnHttpsSetupIsRefused() throws IOException {
    String pem = Files.writeString(dir.resolve("cert.pem"), "pem").toString();

    assertRefused(Map.of(), "config key http.tls.key: \"\" is not allowed: "
        + "a readable file, since http.tls.cert is set and HTTPS needs both", "--http.tls.cert=" + pem);
    assertThat(load(Map.of(), "--http.tls.cert=" + pem, "--http.tls.key=" + pem).http().tls().enabled()).isTrue();
    assertThat(load(Map.of()).http().tls().enabled()).as("HTTPS is off by default").isFalse();
  }

  @Test
  void rtmptPortsAreFreePortsGivenOnce() {
    assertThat(load(Map.of(), "--rtmpt.ports=80,8000").rtmpt().portList()).containsExactly(80, 8000);
    assertThat(load(Map.of()).rtmpt().portList()).as("none by default").isEmpty();
    assertRefused(Map.of(), "config key rtmpt.ports: \"80,80\" is not allowed: ports given once each",
        "--rtmpt.ports=80,80");
    assertRefused(Map.of(), "config key rtmpt.ports: \"80,8080\" is not allowed: ports no other listener uses, "
        + "since http.port is 8080", "--rtmpt.ports=80,8080");
    assertRefused(Map.of(), "config key rtmpt.ports: \"80;81\" is not allowed: \"\", or ports 1 to 65535 separated "
        + "by commas", "--rtmpt.ports=80;81");
    assertRefused(Map.of(), "config key rtmpt.idle-wait: \"5ms\" is not allowed: a duration from 20ms to 1s (units ms, s, m, h)",
        "--rtmpt.idle-wait=5ms");
    assertRefused(Map.of(), "config key rtmpt.session-timeout: \"2s\" is not allowed: at least four times "
        + "rtmpt.idle-wait (1s)", "--rtmpt.idle-wait=1s", "--rtmpt.session-timeout=2s");
  }

  @Test
  void aCertificateOrKeyPathThatIsNoReadableFileIsRefused() throws IOException {
    String pem = Files.writeString(dir.resolve("key.pem"), "pem").toString();
    String missing = dir.resolve("missing.pem").toString();

    assertRefused(Map.of(), "config key rtmp.rtmps.cert: \"" + missing + "\" is not allowed: a readable file, or \"\" for none",
        "--rtmp.rtmps.cert=" + missing, "--rtmp.rtmps.key=" + pem);
    assertRefused(Map.of(), "config key rtmp.rtmps.key: \"" + dir + "\" is not allowed: a readable file, or \"\" for none",
        "--rtmp.rtmps.cert=" + pem, "--rtmp.rtmps.key=" + dir);
  }

  @Test
  void aMissingConfigFileGivenOnTheCommandLineIsRefused() {
    Path missing = dir.resolve("missing.yaml");

    assertRefused(Map.of(), "config file " + missing + " (from --config) does not exist or is not a file",
        "--config", missing.toString());
  }

  @Test
  void aFileThatIsNotYamlOrHasADuplicateKeyIsRefusedOnOneLine() throws IOException {
    assertThatThrownBy(() -> load(Map.of(), "-c", file("rtmp:\n  port: [1935\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config file ")
        .hasMessageContaining(" is not valid YAML: ")
        .message().doesNotContain("\n");
    assertThatThrownBy(() -> load(Map.of(), "-c", file("rtmp:\n  port: 1\n  port: 2\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Duplicate field 'port'")
        .message().doesNotContain("\n");
    String list = file("- rtmp\n");
    assertRefused(Map.of(), "config file " + list + " must hold the sections rtmp, rtmpt, srt, rtsp, stream, player, http, metrics, hls, hls-sessions, record, vod, transcode, cluster, auth, relay, api, ui, thumbnail, shutdown, node, log, exec at its top level",
        "-c", list);
  }

  @Test
  void anEnabledClusterNeedsExactlyOneJoinMethod() {
    assertRefused(Map.of(), "config key cluster.members: \"\" is not allowed: host:port items, since cluster.enabled is true "
        + "and a cluster needs one join method: cluster.members, cluster.multicast or cluster.kubernetes.service-dns",
        "--cluster");
    assertRefused(Map.of(), "config key cluster.multicast: \"true\" is not allowed: false, since cluster.members is set "
        + "and a cluster joins one way", "--cluster", "--cluster.members=127.0.0.1:5701", "--cluster.multicast=true");
    assertRefused(Map.of(), "config key cluster.multicast: \"true\" is not allowed: false, since "
        + "cluster.kubernetes.service-dns is set and a cluster joins one way",
        "--cluster", "--cluster.kubernetes.service-dns=se.default.svc", "--cluster.multicast=true");
    assertRefused(Map.of(), "config key cluster.kubernetes.service-dns: \"se.default.svc\" is not allowed: \"\", "
        + "since cluster.members is set and a cluster joins one way",
        "--cluster", "--cluster.members=127.0.0.1:5701", "--cluster.kubernetes.service-dns=se.default.svc");

    assertThat(load(Map.of(), "--cluster", "--cluster.multicast=true").cluster().multicast()).isTrue();
    assertThat(load(Map.of(), "--cluster", "--cluster.kubernetes.service-dns=se.default.svc").cluster().kubernetes()
        .serviceDns()).isEqualTo("se.default.svc");
    // A disabled cluster is not checked: the join settings may wait in the file for the day it is on.
    assertThat(load(Map.of(), "--cluster.members=a:1", "--cluster.multicast=true").cluster().enabled()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.1:1                      | true
      127.0.0.1:65535                  | true
      127.0.0.1:0                      | false
      127.0.0.1:65536                  | false
      node-1.example:5701,node-2:5702  | true
      [::1]:5701                       | true
      127.0.0.1                        | false
      127.0.0.1:5701,                  | false
      ',127.0.0.1:5701'                | false
      'a:1, b:2'                       | false
      """)
  void clusterMembersAreHostPortItemsSeparatedByCommas(String members, boolean allowed) {
    if (allowed) {
      assertThat(load(Map.of(), "--cluster", "--cluster.members=" + members).cluster().memberList())
          .containsExactly(members.split(","));
    } else {
      assertRefused(Map.of(), "config key cluster.members: \"" + members + "\" is not allowed: \"\", or host:port items "
          + "(port 1 to 65535) separated by commas", "--cluster", "--cluster.members=" + members);
    }
  }

  @Test
  void failureDetectionNeedsAtLeastTwoHeartbeats() {
    assertThat(load(Map.of(), "--cluster.heartbeat=3s", "--cluster.max-no-heartbeat=6s").cluster().maxNoHeartbeat())
        .hasSeconds(6);
    assertRefused(Map.of(), "config key cluster.max-no-heartbeat: \"5s\" is not allowed: at least twice cluster.heartbeat (3s)",
        "--cluster.heartbeat=3s");
    assertRefused(Map.of(), "config key cluster.heartbeat: \"1500ms\" is not allowed: whole seconds from 1s to 1m"
        + DURATION_UNITS, "--cluster.heartbeat=1500ms");
  }

  @Test
  void mergeWriteIsShorterThanThePlayerQueueDelay() {
    assertThat(load(Map.of(), "--player.merge-write=499ms", "--player.queue-max-delay=500ms").player().mergeWrite())
        .hasMillis(499);
    assertRefused(Map.of(), "config key player.merge-write: \"500ms\" is not allowed: shorter than"
        + " player.queue-max-delay (500ms)", "--player.merge-write=500ms", "--player.queue-max-delay=500ms");
  }

  @Test
  void maxAddedLatencyIsOnByDefaultMayBeBelowTheMergeWriteAndIsShorterThanThePlayerQueueDelay() {
    assertThat(load(Map.of()).player().maxAddedLatency()).hasMillis(20);
    assertThat(load(Map.of()).player().quietWriteRate()).isEqualTo(40_000);
    assertThat(load(Map.of(), "--player.max-added-latency=0ms").player().maxAddedLatency()).isZero();
    // merge-write alone, longer than the default budget, is taken: it holds packets that long anyway.
    var mergeAlone = load(Map.of(), "--player.merge-write=40ms").player();
    assertThat(mergeAlone.mergeWrite()).hasMillis(40);
    assertThat(mergeAlone.maxAddedLatency()).hasMillis(20);
    assertThat(load(Map.of(), "--player.max-added-latency=499ms", "--player.queue-max-delay=500ms").player()
        .maxAddedLatency()).hasMillis(499);
    assertRefused(Map.of(), "config key player.max-added-latency: \"500ms\" is not allowed: shorter than"
        + " player.queue-max-delay (500ms)", "--player.max-added-latency=500ms", "--player.queue-max-delay=500ms");
  }

  @Test
  void clusterSwitchesAreTrueOrFalse() {
    assertRefused(Map.of("STREAMEDGE_CLUSTER_ENABLED", "yes"),
        "config key cluster.enabled: \"yes\" is not allowed: one of true, false");
    assertRefused(Map.of(), "config key cluster.eventbus.public-host: \"a b\" is not allowed: a host name or IP address, "
        + "or \"\" for none", "--cluster.eventbus.public-host=a b");
  }

  private static String[] with(String[] first, String last) {
    String[] all = java.util.Arrays.copyOf(first, first.length + 1);
    all[first.length] = last;
    return all;
  }

  private void assertRefused(Map<String, String> env, String message, String... args) {
    assertThatThrownBy(() -> load(env, args)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  private StreamedgeConfig load(Map<String, String> env, String... args) {
    return ConfigLoader.load(args, env, dir.resolve("absent.yaml"), new PrintWriter(new StringWriter())).orElseThrow();
  }

  private String file(String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "streamedge", ".yaml"), yaml).toString();
  }

  @Test
  void vodAppsAreAppDirectoryItemsEachAppOnce() {
    assertThat(load(Map.of()).vod().directories()).isEmpty();
    assertThat(load(Map.of(), "--vod.apps=vod=/srv/flv; rec = recordings/live;").vod().directories())
        .containsEntry("vod", java.nio.file.Path.of("/srv/flv"))
        .containsEntry("rec", java.nio.file.Path.of("recordings/live")).hasSize(2);
    String allowed = "\"\", or app=directory items separated by semicolons, each app a name (A-Z a-z 0-9 . _ ~ -)"
        + " once, each directory a path without control characters";
    assertRefused(Map.of(), "config key vod.apps: \"/srv/flv\" is not allowed: " + allowed, "--vod.apps=/srv/flv");
    assertRefused(Map.of(), "config key vod.apps: \"a/b=/srv\" is not allowed: " + allowed, "--vod.apps=a/b=/srv");
    assertRefused(Map.of(), "config key vod.apps: \"vod=\" is not allowed: " + allowed, "--vod.apps=vod=");
    assertRefused(Map.of(), "config key vod.apps: \"v=/a;v=/b\" is not allowed: " + allowed, "--vod.apps=v=/a;v=/b");
    assertRefused(Map.of(), "config key vod.max-sessions: \"0\" is not allowed: an integer from 1 to 100000",
        "--vod.max-sessions=0");
  }

  @Test
  void corsOriginWithAControlCharacterIsRefused() {
    assertRefused(Map.of("STREAMEDGE_HTTP_CORS_ORIGIN", "https://a.example\r\nSet-Cookie: x=1"),
        "config key http.cors-origin: \"https://a.example\\r\\nSet-Cookie: x=1\" is not allowed: "
            + "text without control characters, or \"\" for none");
  }

  @Test
  void metricsPortMustBeZeroOrAPortNoOtherListenerUses() {
    assertThat(load(Map.of()).metrics().port()).as("probes and scrapes have a listener of their own by default")
        .isEqualTo(8081);
    assertRefused(Map.of(), "config key metrics.port: \"8081\" is not allowed: 0 or a port no other listener uses, "
        + "since http.port is 8081", "--http.port=8081");
    assertThat(load(Map.of(), "--metrics.port=9100").metrics().port()).isEqualTo(9100);
    assertRefused(Map.of(), "config key metrics.port: \"8080\" is not allowed: 0 or a port no other listener uses, "
        + "since http.port is 8080", "--metrics.port=8080");
    assertRefused(Map.of("STREAMEDGE_METRICS_PORT", "1935"), "config key metrics.port: \"1935\" is not allowed: "
        + "0 or a port no other listener uses, since rtmp.port is 1935");
    assertRefused(Map.of(), "config key metrics.port: \"1936\" is not allowed: 0 or a port no other listener uses, "
        + "since rtmp.rtmps.port is 1936", "--metrics.port=1936");
    assertRefused(Map.of(), "config key metrics.enabled: \"on\" is not allowed: one of true, false",
        "--metrics.enabled=on");
  }

  @Test
  void rtspPortMustBeAPortNoOtherListenerUsesWhileRtspIsOn() {
    assertThat(load(Map.of()).rtsp().port()).isEqualTo(8554);
    assertRefused(Map.of(), "config key rtsp.port: \"8080\" is not allowed: a port no other listener uses, "
        + "since http.port is 8080", "--rtsp.port=8080");
    assertRefused(Map.of(), "config key rtsp.port: \"1935\" is not allowed: a port no other listener uses, "
        + "since rtmp.port is 1935", "--rtsp.port=1935");
    assertThat(load(Map.of(), "--rtsp.port=8080", "--rtsp.enabled=false").rtsp().enabled()).isFalse();
  }

  @Test
  void rtspsNeedsCertAndKeyAndAPortOfItsOwn() throws IOException {
    String pem = Files.writeString(dir.resolve("cert.pem"), "pem").toString();

    assertRefused(Map.of(), "config key rtsp.tls.key: \"\" is not allowed: "
        + "a readable file, since rtsp.tls.cert is set and RTSPS needs both", "--rtsp.tls.cert=" + pem);
    assertThat(load(Map.of()).rtsp().tls().enabled()).as("RTSPS is off by default").isFalse();
    assertThat(load(Map.of(), "--rtsp.tls.cert=" + pem, "--rtsp.tls.key=" + pem).rtsp().tls().port()).isEqualTo(8322);
    assertRefused(Map.of(), "config key rtsp.tls.port: \"8554\" is not allowed: a port no other listener uses, "
        + "since rtsp.port is 8554", "--rtsp.tls.cert=" + pem, "--rtsp.tls.key=" + pem, "--rtsp.tls.port=8554");
    assertRefused(Map.of(), "config key rtsp.tls.port: \"1936\" is not allowed: a port no other listener uses, "
        + "since rtmp.rtmps.port is 1936", "--rtsp.tls.cert=" + pem, "--rtsp.tls.key=" + pem, "--rtsp.tls.port=1936");
    assertThat(load(Map.of(), "--rtsp.tls.port=8554").rtsp().tls().enabled()).as("a port RTSPS off does not take")
        .isFalse();
  }

  @Test
  void onDemandAppsTakesNamesStarOrNothing() {
    assertThat(load(Map.of(), "--hls.on-demand-apps=live,edge").hls().onDemand("edge")).isTrue();
    assertThat(load(Map.of(), "--hls.on-demand-apps=live,edge").hls().onDemand("other")).isFalse();
    assertThat(load(Map.of(), "--hls.on-demand-apps=*").hls().onDemand("other")).isTrue();
    assertThat(load(Map.of()).hls().onDemand("live")).isFalse();
    assertRefused(Map.of(), "config key hls.on-demand-apps: \"live,\" is not allowed: \"\", *, or app names "
        + "(A-Z a-z 0-9 . _ ~ -) separated by commas", "--hls.on-demand-apps=live,");
  }

  @Test
  void hlsKeysTakeAppsWhoseVariantIsMpegTsOnly() {
    assertThat(load(Map.of()).hls().encrypted("live")).isFalse();
    HlsConfig live = load(Map.of(), "--hls.keys=live", "--hls.variant=live=mpegts,*=low-latency",
        "--hls.fragments-per-key=5").hls();
    assertThat(live.encrypted("live")).isTrue();
    assertThat(live.encrypted("other")).isFalse();
    assertThat(live.fragmentsPerKey()).isEqualTo(5);
    assertThat(load(Map.of(), "--hls.keys=*", "--hls.variant=mpegts").hls().encrypted("any")).isTrue();
    assertRefused(Map.of(), "config key hls.keys: \"live\" is not allowed: apps whose hls.variant is mpegts "
        + "(encrypted HLS is MPEG-TS only), and app live serves low-latency", "--hls.keys=live");
    assertRefused(Map.of(), "config key hls.keys: \"live,cams\" is not allowed: apps whose hls.variant is mpegts "
        + "(encrypted HLS is MPEG-TS only), and app cams serves fmp4", "--hls.keys=live,cams",
        "--hls.variant=live=mpegts,cams=fmp4");
    assertRefused(Map.of(), "config key hls.keys: \"*\" is not allowed: apps whose hls.variant is mpegts "
        + "(encrypted HLS is MPEG-TS only), and apps hls.variant does not name serve low-latency", "--hls.keys=*",
        "--hls.variant=live=mpegts");
    assertRefused(Map.of(), "config key hls.fragments-per-key: \"-1\" is not allowed: an integer from 0 to 1000000",
        "--hls.fragments-per-key=-1");
  }

  @Test
  void relayPushTakesAppUrlItemsOfEveryRtmpVariant() {
    List<PushTarget> targets = load(Map.of(), "--relay.push=live=rtmp://127.0.0.1:1936/live/{key},"
        + "live=rtmps://live-api-s.facebook.com:443/rtmp/FB-1?s_bl=1,*=rtmpte://relay.example/{app}/{key},"
        + "studio=rtmpe://a/b/c,studio=rtmpt://a/b/c,studio=rtmpts://a/b/c").relay().pushTargets();
    assertThat(targets).hasSize(6);
    assertThat(targets.get(0).urlFor(new StreamKey("live", "cam1")).toString())
        .isEqualTo("rtmp://127.0.0.1:1936/live/cam1");
    assertThat(targets.get(2).urlFor(new StreamKey("show", "cam1")).toString())
        .isEqualTo("rtmpte://relay.example:80/show/cam1");
    assertThat(targets.get(1).label()).as("no stream key in the label").isEqualTo("rtmps://live-api-s.facebook.com:443/rtmp");
    assertThat(targets.get(2).matches("any")).isTrue();
    assertThat(targets.get(0).matches("studio")).isFalse();
    assertThat(load(Map.of()).relay().pushTargets()).isEmpty();
    String allowed = "\"\", or app=URL items separated by commas, app a name or * for every app, URL rtmp, rtmps, "
        + "rtmpe, rtmpt, rtmpts or rtmpte://host[:port]/app/name with {app} and {key} standing for the stream's, "
        + "each item once";
    for (String bad : List.of("live", "live=http://a/b/c", "live=rtmp://a/{key}", "live=rtmp://a/b/c,", "li ve=rtmp://a/b/c",
        "live=rtmp://a/b/c,live=rtmp://a/b/c")) {
      assertRefused(Map.of(), "config key relay.push: \"" + bad + "\" is not allowed: " + allowed, "--relay.push=" + bad);
    }
    assertRefused(Map.of(), "config key relay.reconnect-max: \"500ms\" is not allowed: at least "
        + "relay.reconnect-min (1s)", "--relay.reconnect-max=500ms");
  }

  @Test
  void relayPullTakesOneUrlPerStream() {
    List<PullSource> sources = load(Map.of(), "--relay.pull=live/cam1=rtmp://camera.local/live/cam1,"
        + "studio/b=rtmpts://other.example/app/b?token=1,live/c=http://origin.example:8080/live/c.flv?sign=s")
        .relay().pullSources();
    assertThat(sources).extracting(PullSource::key).containsExactly(new StreamKey("live", "cam1"),
        new StreamKey("studio", "b"), new StreamKey("live", "c"));
    assertThat(sources.get(1).url().toString()).isEqualTo("rtmpts://other.example:443/app/b?token=1");
    assertThat(sources.get(1).label()).isEqualTo("rtmpts://other.example:443/app");
    assertThat(sources.get(2).url()).isEqualTo(new PullUrl.HttpFlv(false, "origin.example", 8080, "/live/c.flv?sign=s"));
    assertThat(sources.get(2).label()).as("no stream name in the label").isEqualTo("http://origin.example:8080/live");
    String allowed = "\"\", or app/key=URL items separated by commas, URL rtmp, rtmps, rtmpe, rtmpt, rtmpts or "
        + "rtmpte://host[:port]/app/name, an HTTP-FLV http[s]://host[:port]/path/name or an RTSP "
        + "rtsp[s]://[user:password@]host[:port]/path, each stream once";
    for (String bad : List.of("live=rtmp://a/b/c", "live/cam=ftp://a/b/c", "live/cam=http://a/", "live/cam=http:///b/c",
        "live/cam=rtsp://", "live/cam=rtsp://cam",
        "live/cam=rtmp://a/b/c,live/cam=rtmp://d/e/f", "*/cam=rtmp://a/b/c")) {
      assertRefused(Map.of(), "config key relay.pull: \"" + bad + "\" is not allowed: " + allowed, "--relay.pull=" + bad);
    }
  }

  @Test
  void relayPullTakesRtspUrlsWithTheirLoginLeftOutOfTheLabel() {
    List<PullSource> sources = load(Map.of(), "--relay.pull=live/door=rtsp://admin:pa%40ss@192.168.1.64/Streaming/"
        + "Channels/101,live/tls=rtsps://cam.example/s").relay().pullSources();
    PullUrl.Rtsp door = (PullUrl.Rtsp) sources.get(0).url();
    assertThat(door.url().user()).isEqualTo("admin");
    assertThat(door.url().password()).isEqualTo("pa@ss");
    assertThat(door.url().port()).isEqualTo(554);
    assertThat(door.url().uri()).isEqualTo("rtsp://192.168.1.64/Streaming/Channels/101");
    assertThat(sources.get(0).label()).isEqualTo("rtsp://192.168.1.64:554/Streaming/Channels");
    assertThat(door.toString()).doesNotContain("pa@ss").doesNotContain("pa%40ss");
    assertThat(((PullUrl.Rtsp) sources.get(1).url()).url().port()).as("RTSPS's port").isEqualTo(322);
  }

  @Test
  void relayPullOnDemandTakesRtmpAndHttpFlvTemplates() {
    List<PushTarget> templates = load(Map.of(), "--relay.pull-on-demand=live=http://origin.example/live/{key}.flv,"
        + "*=rtmp://origin.example/{app}/{key}").relay().pullTemplates();
    assertThat(templates.get(0).pullUrlFor(new StreamKey("live", "cam")))
        .isEqualTo(new PullUrl.HttpFlv(false, "origin.example", 80, "/live/cam.flv"));
    assertThat(templates.get(1).pullUrlFor(new StreamKey("show", "cam")).toString())
        .isEqualTo("rtmp://origin.example:1935/show/cam");
    assertRefused(Map.of(), "config key relay.pull-on-demand: \"live=ftp://a/{key}\" is not allowed: \"\", or app=URL "
        + "items separated by commas, app a name or * for every app, URL rtmp, rtmps, rtmpe, rtmpt, rtmpts or "
        + "rtmpte://host[:port]/app/name, an HTTP-FLV http[s]://host[:port]/path/name or an RTSP "
        + "rtsp[s]://[user:password@]host[:port]/path with {app} and {key} standing for the stream's, each item once",
        "--relay.pull-on-demand=live=ftp://a/{key}");
  }

  @Test
  void relayTlsFingerprintsTakeWhatOpensslPrintsAndRefuseAnythingElse() {
    String printed = "sha256 Fingerprint=FE:D3:44:2E:B2:7C:26:36:BF:A1:8A:D5:37:05:67:34:A7:5B:0D:32:01:AA:A6:73:39:58:"
        + "F1:43:AB:04:31:30";
    assertThat(load(Map.of(), "--relay.tls-fingerprints=" + printed + "," + "AB".repeat(32)).relay()
        .pinnedFingerprints())
        .containsExactly("fed3442eb27c2636bfa18ad537056734a75b0d3201aaa6733958f143ab043130", "ab".repeat(32));
    assertThat(load(Map.of()).relay().pinnedFingerprints()).isEmpty();
    assertRefused(Map.of(), "config key relay.tls-fingerprints: \"FE:D3\" is not allowed: \"\", or SHA-256 "
        + "fingerprints separated by commas, each 64 hex digits, colons between the bytes allowed (openssl x509 -noout "
        + "-fingerprint -sha256)", "--relay.tls-fingerprints=FE:D3");
  }

  private static final String SECRET = "0123456789abcdef";
  private static final String RULES = "\"\", or app=mode items separated by commas, app a name or * for the others, "
      + "mode one of ";

  @Test
  void authRulesGiveEachAppOneModeThatItsDirectionAllows() {
    AuthConfig auth = load(Map.of(), "--auth.publish=live=keys,studio=none,*=sign", "--auth.publish-keys=k1,k2",
        "--auth.publish-secret=" + SECRET, "--auth.play=live=sign", "--auth.play-secret=" + SECRET + "-play").auth();
    assertThat(auth.publishRules().modeOf("live")).isEqualTo(AuthMode.KEYS);
    assertThat(auth.publishRules().modeOf("studio")).isEqualTo(AuthMode.NONE);
    assertThat(auth.publishRules().modeOf("other")).isEqualTo(AuthMode.SIGN);
    assertThat(auth.playRules().modeOf("live")).isEqualTo(AuthMode.SIGN);
    assertThat(auth.playRules().modeOf("other")).as("an app not named, with no *").isEqualTo(AuthMode.NONE);
    assertThat(auth.publishKeyList()).containsExactly("k1", "k2");

    assertRefused(Map.of(), "config key auth.play: \"live=keys\" is not allowed: " + RULES + "none, sign, callback, "
        + "each app once", "--auth.play=live=keys");
    for (String bad : new String[] {"live=sign,live=none", "*=sign,*=none", "live", "live=sign,", "live=SIGN",
        "a/b=sign", "live = sign"}) {
      assertRefused(Map.of(), "config key auth.publish: \"" + bad + "\" is not allowed: " + RULES
          + "none, keys, sign, callback, each app once", "--auth.publish=" + bad);
    }
  }

  @Test
  void addressRulesAreNginxRtmpsAllowAndDenyLines() {
    AuthConfig auth = load(Map.of(), "--auth.publish-access=allow 127.0.0.1, deny all", "--auth.play-access=deny 10.0.0.0/8")
        .auth();
    assertThat(auth.publishAddresses().allows("live", "127.0.0.1")).isTrue();
    assertThat(auth.publishAddresses().allows("live", "10.0.0.1")).isFalse();
    assertThat(auth.playAddresses().allows("any", "10.0.0.1")).isFalse();
    String rule = "\"\", or items separated by commas, each allow or deny then an IPv4 or IPv6 address, a CIDR block"
        + " (10.0.0.0/8) or all; the first that matches decides; per app: app=items sections separated by semicolons,"
        + " * for the other apps";
    assertRefused(Map.of(), "config key auth.play-access: \"allow everyone\" is not allowed: " + rule,
        "--auth.play-access=allow everyone");
    AuthConfig perApp = load(Map.of(), "--auth.publish-access=live=allow 127.0.0.1, deny all; *=deny 10.0.0.0/8").auth();
    assertThat(perApp.publishAddresses().allows("live", "10.0.0.1")).isFalse();
    assertThat(perApp.publishAddresses().allows("live", "127.0.0.1")).isTrue();
    assertThat(perApp.publishAddresses().allows("other", "127.0.0.2")).isTrue();
    assertThat(perApp.publishAddresses().allows("other", "10.0.0.1")).isFalse();
    assertRefused(Map.of(), "config key auth.publish-access: \"live=deny all; live=allow all\" is not allowed: " + rule,
        "--auth.publish-access=live=deny all; live=allow all");
  }

  @Test
  void eachAuthModeInUseNeedsWhatItChecksWith() {
    assertRefused(Map.of(), "config key auth.publish-keys: \"\" is not allowed: keys of 1 to 128 characters "
        + "A-Z a-z 0-9 . _ ~ - separated by commas, since auth.publish uses mode keys", "--auth.publish=live=keys");
    assertRefused(Map.of(), "config key auth.publish-secret: \"\" is not allowed: 16 to 1024 characters without "
        + "spaces or control characters, since auth.publish uses mode sign", "--auth.publish=*=sign");
    assertRefused(Map.of(), "config key auth.play-secret: \"\" is not allowed: 16 to 1024 characters without "
        + "spaces or control characters, since auth.play uses mode sign", "--auth.play=*=sign");
    assertRefused(Map.of(), "config key auth.callback.on-publish: \"\" is not allowed: an http:// or https:// URL "
        + "with a host, since auth.publish uses mode callback", "--auth.publish=*=callback");
    assertRefused(Map.of(), "config key auth.callback.on-play: \"\" is not allowed: an http:// or https:// URL "
        + "with a host, since auth.play uses mode callback", "--auth.play=live=callback");
    assertThat(load(Map.of(), "--auth.play=live=callback", "--auth.callback.on-play=https://auth.example/on_play")
        .auth().callback().onPlay()).isEqualTo("https://auth.example/on_play");
  }

  @Test
  void aSecretIsNeverShownInAMessageAndTheTwoSecretsDiffer() {
    assertRefused(Map.of("STREAMEDGE_AUTH_PUBLISH_SECRET", "short"), "config key auth.publish-secret: a value of 5 "
        + "characters is not allowed: \"\", or 16 to 1024 characters without spaces or control characters");
    assertRefused(Map.of("STREAMEDGE_AUTH_PLAY_SECRET", SECRET + " x"), "config key auth.play-secret: a value of 18 "
        + "characters is not allowed: \"\", or 16 to 1024 characters without spaces or control characters");
    assertRefused(Map.of("STREAMEDGE_AUTH_PUBLISH_SECRET", SECRET, "STREAMEDGE_AUTH_PLAY_SECRET", SECRET),
        "config key auth.play-secret: the value of auth.publish-secret is not allowed: another secret, since with "
            + "one secret a viewer's signed play URL would also publish");

    AuthConfig auth = load(Map.of("STREAMEDGE_AUTH_PUBLISH_SECRET", SECRET), "--auth.publish-keys=k1secret").auth();
    assertThat(auth.publishSecret()).isEqualTo(SECRET);
    assertThat(auth.toString()).doesNotContain(SECRET).doesNotContain("k1secret");
  }

  @Test
  void theApiTokenIsNeverShownInAMessage() {
    assertRefused(Map.of("STREAMEDGE_API_TOKEN", "short-token"), "config key api.token: a value of 11 "
        + "characters is not allowed: \"\", or 16 to 1024 characters without spaces or control characters");
    assertRefused(Map.of(), "config key api.token: a value of 18 characters is not allowed: \"\", or 16 to 1024 "
        + "characters without spaces or control characters", "--api.token=" + SECRET + " x");

    ApiConfig api = load(Map.of("STREAMEDGE_API_TOKEN", SECRET)).api();
    assertThat(api.token()).isEqualTo(SECRET);
    assertThat(api.toString()).doesNotContain(SECRET);
    assertThat(load(Map.of()).api()).isEqualTo(new ApiConfig(true, ""));
    assertThat(load(Map.of(), "--api.enabled=false").api().enabled()).isFalse();
    assertRefused(Map.of(), "config key api.enabled: \"yes\" is not allowed: one of true, false", "--api.enabled=yes");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      http://127.0.0.1:8081/on_publish   | true
      https://auth.example/rtmp?x=1      | true
      ftp://auth.example/on_publish      | false
      http:///on_publish                 | false
      /on_publish                        | false
      'http://a b/'                      | false
      """)
  void callbackUrlsAreHttpOrHttpsWithAHost(String url, boolean allowed) {
    if (allowed) {
      assertThat(load(Map.of(), "--auth.callback.on-done=" + url).auth().callback().onDone()).isEqualTo(url);
    } else {
      assertRefused(Map.of(), "config key auth.callback.on-done: \"" + url + "\" is not allowed: \"\", or an http:// or "
          + "https:// URL with a host", "--auth.callback.on-done=" + url);
    }
  }

  @Test
  void whenTheAuthServiceIsDownTheAnswerIsAllowOrDeny() {
    assertThat(load(Map.of()).auth().callback().whenDown()).isEqualTo(DownAnswer.DENY);
    assertThat(load(Map.of(), "--auth.callback.when-down=allow").auth().callback().whenDown())
        .isEqualTo(DownAnswer.ALLOW);
    assertRefused(Map.of(), "config key auth.callback.when-down: \"open\" is not allowed: one of allow, deny",
        "--auth.callback.when-down=open");
  }
}
