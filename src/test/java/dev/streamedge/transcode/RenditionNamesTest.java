package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.config.ByteSize;
import dev.streamedge.config.TranscodeConfig;
import dev.streamedge.media.WireFormats;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.stream.PublishGate;
import dev.streamedge.stream.PublishPolicy;
import dev.streamedge.stream.PublishRules;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which names are a rendition's, and who may publish them: in a transcoded app, {@code <key>_<name>} for
 * each name of the ladder is reserved; with no transcoder running for {@code <key>}, every publish of it
 * is refused, whatever the app's auth; other names and other apps are left to the app's rules.
 */
@Tag("unit")
class RenditionNamesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void aRenditionsNameIsReservedAndRefusedWithoutItsTranscoder() {
    TranscodeService service = service("live,tv");
    assertThat(service.sourceOf(new StreamKey("live", "cam_480p"))).contains(new StreamKey("live", "cam"));
    assertThat(service.sourceOf(new StreamKey("tv", "a_b_360p"))).contains(new StreamKey("tv", "a_b"));
    assertThat(service.sourceOf(new StreamKey("live", "_480p"))).isEmpty();
    assertThat(service.sourceOf(new StreamKey("live", "cam_720p"))).isEmpty();
    assertThat(service.sourceOf(new StreamKey("other", "cam_480p"))).isEmpty();

    assertThat(service.decide(publish("live", "cam_480p", "transcoder=00", "127.0.0.1"))).hasValueSatisfying(d -> {
      assertThat(d.allowed()).isFalse();
      assertThat(d.reason()).isEqualTo("the name of a rendition of live/cam, which only its transcoder publishes");
    });
    assertThat(service.decide(publish("live", "cam", "", "10.0.0.1"))).isEmpty();
    assertThat(service.decide(publish("other", "cam_480p", "", "10.0.0.1"))).isEmpty();
    assertThat(service.decide(new AuthRequest(AuthAction.PLAY, new StreamKey("live", "cam_480p"), "", "10.0.0.1",
        "10.0.0.1:5000", "rtmp", ""))).isEmpty();
  }

  @Test
  void withNoLadderNothingIsReserved() {
    TranscodeService service = new TranscodeService(vertx, registry(), config("live", ""), true, "0.0.0.0",
        () -> 1935, Metrics.disabled().transcode());
    assertThat(service.sourceOf(new StreamKey("live", "cam_480p"))).isEmpty();
    assertThat(service.decide(publish("live", "cam_480p", "", "127.0.0.1"))).isEmpty();
  }

  private TranscodeService service(String apps) {
    return new TranscodeService(vertx, registry(), config(apps, "480p=854x480@1200k,360p=640x360@600k"), true,
        "0.0.0.0", () -> 1935, Metrics.disabled().transcode());
  }

  private static StreamRegistry registry() {
    return new StreamRegistry(new PublishRules(PublishPolicy.TAKEOVER, Duration.ZERO, 1000), 1 << 20, 1000,
        new WireFormats(), PublishGate.LOCAL);
  }

  /** The executable is /bin/sh, which exists: nothing starts it here, no stream goes live. */
  private static TranscodeConfig config(String apps, String ladder) {
    return new TranscodeConfig(apps, ladder, true, false, Duration.ofSeconds(30), "/bin/sh", 4, "libx264", "", ByteSize.ofMiB(4),
        Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  private static AuthRequest publish(String app, String name, String query, String addr) {
    return new AuthRequest(AuthAction.PUBLISH, new StreamKey(app, name), query, addr, addr + ":5000", "rtmp", "");
  }
}
