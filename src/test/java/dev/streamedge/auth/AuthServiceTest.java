package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.config.ConfigLoader;
import dev.streamedge.config.StreamedgeConfig;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** How the service picks a check per app and direction, without a network: keys and signatures only. */
@Tag("unit")
class AuthServiceTest {

  private static final String PLAY_SECRET = "play-secret-0123456789";
  private static Vertx vertx;
  private static AuthService auth;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    StreamedgeConfig config = ConfigLoader.load(new String[] {"--auth.publish=live=keys,*=none",
        "--auth.publish-keys=k1", "--auth.play=*=sign,open=none", "--auth.play-secret=" + PLAY_SECRET},
        Map.of(), Path.of("absent.yaml"), new PrintWriter(new StringWriter())).orElseThrow();
    auth = new AuthService(vertx, config.auth(), () -> { });
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @Test
  void eachAppAndDirectionGetsItsOwnCheck() {
    assertThat(check(AuthAction.PUBLISH, "live", "cam", "key=k1").allowed()).isTrue();
    assertThat(check(AuthAction.PUBLISH, "live", "cam", "key=k2").reason()).isEqualTo("unknown key");
    assertThat(check(AuthAction.PUBLISH, "other", "cam", "").allowed()).as("publish in another app").isTrue();
    assertThat(check(AuthAction.PLAY, "live", "cam", "key=k1").reason()).as("a publish key does not play")
        .isEqualTo("no sign argument");
    String sign = SignedUrls.sign(PLAY_SECRET, new StreamKey("other", "cam"), System.currentTimeMillis() / 1000 + 60);
    assertThat(check(AuthAction.PLAY, "other", "cam", "x=1&sign=" + sign).allowed()).isTrue();
    assertThat(check(AuthAction.PLAY, "open", "cam", "").allowed()).isTrue();
    assertThat(auth.checksPlay("live")).isTrue();
    assertThat(auth.checksPlay("open")).isFalse();
  }

  @Test
  void aQueryTooLongOrMalformedIsRefusedBeforeAnyCheckAndCounted() {
    long before = auth.refusedTotal();
    String atLimit = "key=k1&pad=" + "x".repeat(AuthService.MAX_QUERY_CHARS - "key=k1&pad=".length());

    assertThat(check(AuthAction.PUBLISH, "live", "cam", atLimit).allowed()).isTrue();
    assertThat(check(AuthAction.PUBLISH, "live", "cam", atLimit + "x").reason())
        .isEqualTo("query and tcUrl longer than 4096 characters");
    assertThat(check(AuthAction.PUBLISH, "live", "cam", "key=%k1").reason()).isEqualTo("malformed query");
    assertThat(check(AuthAction.PUBLISH, "open", "cam", atLimit + "x%").allowed())
        .as("an app that checks nothing reads no query").isTrue();
    assertThat(auth.refusedTotal() - before).isEqualTo(2);
  }

  private static AuthDecision check(AuthAction action, String app, String name, String query) {
    AuthRequest request = new AuthRequest(action, new StreamKey(app, name), query, "127.0.0.1", "127.0.0.1:1935",
        "rtmp", "");
    // Keys and signatures are decided at once, with no context to go back to.
    return auth.check(request).result();
  }
}
