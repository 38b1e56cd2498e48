package dev.streamedge.stream;

import static dev.streamedge.stream.StreamHarness.await;
import static dev.streamedge.stream.StreamHarness.call;
import static dev.streamedge.stream.StreamHarness.keyframe;
import static dev.streamedge.stream.StreamHarness.newContext;
import static dev.streamedge.stream.StreamHarness.videoConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.WireFormats;
import dev.streamedge.stream.StreamHarness.RecordingSubscriber;
import dev.streamedge.stream.StreamHarness.TestPublisher;
import dev.streamedge.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Players of different protocols live in different verticles, so on different contexts of the same
 * event loops: the stream still hands each packet to each loop once, and still calls every subscriber
 * on its own context.
 */
@Tag("unit")
class SharedEventLoopFanOutTest {

  @Test
  void subscribersOfTwoVerticlesOnOneEventLoopShareOneCrossingAndKeepTheirContexts() throws Exception {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(2)).build();
    try {
      // Three deployments on two loops: two of them share one loop, as RTMP and HTTP verticles do.
      Context publisherContext = newContext(vertx);
      Context rtmpLike = newContext(vertx);
      Context httpLike = newContext(vertx);
      assertThat(call(httpLike, Thread::currentThread)).as("same event loop")
          .isSameAs(call(publisherContext, Thread::currentThread));
      StreamRegistry registry = new StreamRegistry(StreamHarness.atOnce(PublishPolicy.TAKEOVER), 1 << 20, 1000,
          new WireFormats(), PublishGate.LOCAL);
      StreamKey key = new StreamKey("live", "shared");
      RecordingSubscriber onRtmp = new RecordingSubscriber(rtmpLike);
      RecordingSubscriber onHttp = new RecordingSubscriber(httpLike);
      RecordingSubscriber onHome = new RecordingSubscriber(publisherContext);
      PublishSession session = await(publisherContext, () -> registry.publish(key, new TestPublisher("publisher")));
      for (RecordingSubscriber subscriber : new RecordingSubscriber[] {onRtmp, onHttp, onHome}) {
        call(subscriber.context(), () -> registry.subscribe(key, subscriber));
      }
      Await.until("three subscribers", Duration.ofSeconds(5),
          () -> await(registry.info(key)).map(i -> i.subscribers() == 3).orElse(false));

      call(publisherContext, () -> {
        session.media(MediaKind.VIDEO, 0, videoConfig(1));
        for (int i = 2; i < 20; i++) {
          session.media(MediaKind.VIDEO, i * 40L, keyframe(i));
        }
        return null;
      });
      for (RecordingSubscriber subscriber : new RecordingSubscriber[] {onRtmp, onHttp, onHome}) {
        Await.until("all packets at " + subscriber.context(), Duration.ofSeconds(5),
            () -> subscriber.packets().size() == 19);
        assertThat(subscriber.offContext.get()).as("calls off the subscriber's own context").isZero();
      }
      assertThat(await(registry.info(key)).orElseThrow().fanoutLoops()).as("event loops a packet is handed to")
          .isEqualTo(2);
    } finally {
      await(vertx.close());
    }
  }
}
