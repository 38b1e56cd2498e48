package dev.streamedge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A camera's self-signed certificate, which names neither the address it is reached by nor anything an authority
 * signed, trusted by its SHA-256 fingerprint ({@code relay.tls-fingerprints}) as a user gets it: openssl's
 * {@code s_client} asks the camera for its certificate and {@code x509 -fingerprint -sha256} prints the line the
 * config takes as it is. The "camera" is another node serving RTSPS, RTMPS and HTTPS (HTTP-FLV) with a certificate
 * openssl made for {@code camera.local}; a node with the fingerprint pulls from it over all three, one without it (or
 * with another fingerprint) is refused at the handshake and names the certificate and its fingerprint in its API.
 */
@Tag("e2e")
class RelayPinnedCertificateTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aCamerasSelfSignedCertificateIsTrustedOverRtspsAndRtmpsByItsFingerprintAndNoOtherIs() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "camera-tls"));
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    shell("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=camera.local -addext subjectAltName=DNS:camera.local"
        + " -days 2 -keyout " + key + " -out " + cert);
    int rtspsPort = FreePorts.next();
    try (TestNode camera = TestNode.start("--rtsp.tls.cert=" + cert, "--rtsp.tls.key=" + key,
        "--rtsp.tls.port=" + rtspsPort, "--rtmp.rtmps.cert=" + cert, "--rtmp.rtmps.key=" + key,
        "--http.tls.cert=" + cert, "--http.tls.key=" + key)) {
      processes.own(Clients.publishLooping("pinned-camera", TestMedia.audioVideo(4, 1), camera.rtmpUrl("door")));
      camera.awaitPublisher("door");
      // What docs/relays.md tells a user to run against a camera.
      String printed = shell("openssl s_client -connect 127.0.0.1:" + rtspsPort
          + " </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256").strip();
      assertThat(printed).startsWithIgnoringCase("sha256 Fingerprint=");
      String otherCertificate = shell("openssl x509 -noout -fingerprint -sha256 -in src/test/resources/tls/cert.pem")
          .strip();
      String pulls = "--relay.pull=live/rtsps=rtsps://127.0.0.1:" + rtspsPort + "/live/door,"
          + "live/rtmps=rtmps://127.0.0.1:" + camera.node().rtmpsPort() + "/live/door,"
          + "live/https=https://127.0.0.1:" + camera.node().httpsPort() + "/live/door.flv";
      Vertx vertx = Vertx.vertx();
      try (TestNode pinning = TestNode.start(pulls, "--relay.tls-fingerprints=" + printed);
          TestNode other = TestNode.start(pulls, "--relay.tls-fingerprints=" + otherCertificate,
              "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms");
          TestNode none = TestNode.start(pulls, "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms")) {
        for (String stream : List.of("rtsps", "rtmps", "https")) {
          RecordingPlayer viewer = RecordingPlayer.play(vertx, pinning.rtmpPort(), stream);
          Await.until("video pulled over " + stream + " with the pinned certificate", Duration.ofSeconds(20),
              () -> viewer.keyframes() >= 2);
        }
        assertThat(states(pinning)).containsExactly("publishing", "publishing", "publishing");
        for (TestNode refused : List.of(other, none)) {
          Await.until("every pull refused and tried again", Duration.ofSeconds(15),
              () -> pulls(refused).stream().allMatch(pull -> ((JsonObject) pull).getLong("reconnects") >= 2));
          JsonArray states = pulls(refused);
          System.out.printf("not pinned: %s%n", states.getJsonObject(0).getString("lastError"));
          for (int i = 0; i < 3; i++) {
            // What the user pins, as openssl printed it: the refusal says which certificate came.
            assertThat(states.getJsonObject(i).getString("lastError")).as(states.encode())
                .startsWith("TLS: the certificate of CN=camera.local (" + printed + ") is not trusted: no authority"
                    + " the JVM trusts signed it, and relay.tls-fingerprints does not list it");
          }
          for (String stream : List.of("rtsps", "rtmps", "https")) {
            assertThat(refused.node().registry().isLive(new StreamKey("live", stream))).as(stream).isFalse();
          }
        }
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> states(TestNode node) throws Exception {
    return pulls(node).stream().map(pull -> ((JsonObject) pull).getString("state")).toList();
  }

  private static JsonArray pulls(TestNode node) throws Exception {
    return new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("pull");
  }

  /** What {@code command} printed, through bash; it must end within 30 s with status 0. */
  private static String shell(String command) throws Exception {
    Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(command).isTrue();
    assertThat(process.exitValue()).as(command + ": " + new String(out, StandardCharsets.UTF_8)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
