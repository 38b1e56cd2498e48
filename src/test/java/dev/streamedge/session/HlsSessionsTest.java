package dev.streamedge.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.config.HlsSessionsConfig;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class HlsSessionsTest {

  private static final StreamKey A = new StreamKey("live", "a");
  private static final StreamKey B = new StreamKey("live", "b");
  private static final String CHROME = "Mozilla/5.0 Chrome/156";

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger uncounted = new AtomicInteger();

  @AfterEach
  void close() {
    vertx.close();
  }

  private HlsSessions sessions(int max) {
    return new HlsSessions(vertx, new HlsSessionsConfig(true, max, Duration.ofSeconds(4)), new HlsSessions.Events() {
      @Override
      public void started() {
        started.incrementAndGet();
      }

      @Override
      public void uncounted() {
        uncounted.incrementAndGet();
      }
    });
  }

  @Test
  void playersAreToldApartByTheirTokenElseByAddressAndUserAgent() {
    HlsSessions sessions = sessions(100);
    sessions.seen(A, "token-one", "10.0.0.1", CHROME);
    sessions.seen(A, "token-one", "10.0.0.1", CHROME);
    sessions.seen(A, "token-two", "10.0.0.1", CHROME);
    sessions.seen(A, null, "10.0.0.1", CHROME);
    sessions.seen(A, null, "10.0.0.1", CHROME);
    sessions.seen(A, null, "10.0.0.1", "Lavf/62");
    sessions.seen(A, null, "10.0.0.2", CHROME);
    sessions.seen(B, "token-one", "10.0.0.1", CHROME);
    sessions.sweep(System.nanoTime());
    assertThat(sessions.count(A)).as("two tokens, two address and agent pairs... and one more address").isEqualTo(5);
    assertThat(sessions.count(B)).isEqualTo(1);
    assertThat(sessions.total()).isEqualTo(6);
    assertThat(started).hasValue(6);
  }

  @Test
  void aTokenThatIsNotOneCountsAsNoToken() {
    HlsSessions sessions = sessions(100);
    sessions.seen(A, "short", "10.0.0.1", CHROME);
    sessions.seen(A, "has space in it", "10.0.0.1", CHROME);
    sessions.seen(A, "x".repeat(65), "10.0.0.1", CHROME);
    sessions.sweep(System.nanoTime());
    assertThat(sessions.count(A)).isEqualTo(1);
  }

  @Test
  void aSessionEndsAfterTheTimeoutWithoutARequest() {
    HlsSessions sessions = sessions(100);
    sessions.seen(A, "token-one", "10.0.0.1", CHROME);
    sessions.seen(A, "token-two", "10.0.0.1", CHROME);
    long now = System.nanoTime();
    sessions.sweep(now + Duration.ofSeconds(3).toNanos());
    assertThat(sessions.count(A)).isEqualTo(2);
    sessions.sweep(now + Duration.ofSeconds(5).toNanos());
    assertThat(sessions.count(A)).isZero();
    assertThat(sessions.total()).isZero();
    sessions.seen(A, "token-one", "10.0.0.1", CHROME);
    sessions.sweep(System.nanoTime());
    assertThat(sessions.count(A)).as("a player that comes back is a new session").isEqualTo(1);
    assertThat(started).hasValue(3);
  }

  @Test
  void pastTheLimitNewPlayersAreNotCountedAndTheMissIs() {
    HlsSessions sessions = sessions(3);
    for (int i = 0; i < 5; i++) {
      sessions.seen(A, "token-" + i + "xyz", "10.0.0.1", CHROME);
    }
    sessions.seen(A, "token-0xyz", "10.0.0.1", CHROME);
    sessions.sweep(System.nanoTime());
    assertThat(sessions.count(A)).isEqualTo(3);
    assertThat(uncounted).hasValue(2);
    sessions.sweep(System.nanoTime() + Duration.ofSeconds(5).toNanos());
    sessions.seen(A, "token-4xyz", "10.0.0.1", CHROME);
    sessions.sweep(System.nanoTime());
    assertThat(sessions.count(A)).as("room again once sessions ended").isEqualTo(1);
  }

  @Test
  void turnedOffNothingIsCounted() {
    HlsSessions sessions = new HlsSessions(vertx, new HlsSessionsConfig(false, 10, Duration.ofSeconds(4)),
        HlsSessions.Events.NONE);
    sessions.seen(A, "token-one", "10.0.0.1", CHROME);
    sessions.sweep(System.nanoTime());
    assertThat(sessions.enabled()).isFalse();
    assertThat(sessions.count(A)).isZero();
  }
}
