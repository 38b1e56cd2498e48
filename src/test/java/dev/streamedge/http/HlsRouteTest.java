package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.internal.net.RFC3986;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which HLS paths are served in front of the router: only those Vert.x Web's normalization would leave
 * as they are, so that both ways serve the same URL the same.
 */
@Tag("unit")
class HlsRouteTest {

  @Test
  void plainPathsAreTheOnesVertxWebWouldNotNormalize() {
    assertThat(HlsRoute.plain("/hls/live/test.m3u8")).isTrue();
    assertThat(HlsRoute.plain("/hls/live/test/ll.m3u8")).isTrue();
    assertThat(HlsRoute.plain("/hls/live/test/12.ts")).isTrue();
    assertThat(HlsRoute.plain("/hls/live/%74est.m3u8")).isFalse();
    assertThat(HlsRoute.plain("/hls/live/./test.m3u8")).isFalse();
    assertThat(HlsRoute.plain("/hls/x/../live/test.m3u8")).isFalse();
    assertThat(HlsRoute.plain("/hls//live/test.m3u8")).isFalse();
    assertThat(HlsRoute.plain("/hls/live\\test.m3u8")).isFalse();

    // Against Vert.x's own normalization (what RoutingContext.normalizedPath() returns), on random paths
    // built from the characters that matter to it.
    String alphabet = "/./%2e%2E%41%7e%2F.a/b~-_";
    SplittableRandom random = new SplittableRandom(22);
    int plain = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder path = new StringBuilder("/hls/");
      int length = random.nextInt(1, 16);
      for (int j = 0; j < length; j++) {
        path.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String candidate = path.toString();
      if (HlsRoute.plain(candidate)) {
        plain++;
        assertThat(RFC3986.normalizePath(candidate)).as(candidate).isEqualTo(candidate);
      }
    }
    assertThat(plain).as("paths the check let through").isGreaterThan(1000);
  }
}
