package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ffmpeg publishing under each auth mode, chosen per app on one node: app {@code keys} takes static
 * keys, {@code signed} signed URLs, {@code hooked} asks a callback service, {@code open} checks nothing.
 * Wrong credentials are refused with a status ffmpeg reports; right ones publish.
 */
@Tag("e2e")
class PublishAuthTest {

  private static final String PUBLISH_SECRET = "publish-secret-0123456789";
  private static CallbackServer callbacks;
  private static TestNode node;
  private static Path media;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @BeforeAll
  static void start() throws Exception {
    media = TestMedia.audioVideo(3, 1);
    // The service refuses names starting with "denied", and allows the others.
    callbacks = CallbackServer.start(call -> call.field("name").startsWith("denied") ? 403 : 204);
    node = TestNode.start("--auth.publish=keys=keys,signed=sign,hooked=callback",
        "--auth.publish-keys=obs-key-1,obs-key-2",
        "--auth.publish-secret=" + PUBLISH_SECRET,
        "--auth.callback.on-publish=" + callbacks.url("/on_publish"),
        "--auth.callback.on-publish-done=" + callbacks.url("/on_publish_done"),
        "--auth.callback.on-done=" + callbacks.url("/on_done"));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    callbacks.close();
  }

  @Test
  void aPublishWithAWrongOrNoKeyIsRefusedAndWithAListedKeyItPublishes() throws Exception {
    long refusedBefore = node.node().auth().refusedTotal();
    double countedBefore = node.scrape().value("streamedge_connections_refused_total", "reason", "auth");

    assertRefused("keys-wrong", url("keys", "cam?key=obs-key-3"), "keys/cam");
    assertRefused("keys-none", url("keys", "cam"), "keys/cam");
    assertThat(node.node().auth().refusedTotal() - refusedBefore).isEqualTo(2);
    assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "auth") - countedBefore)
        .as("auth refusals on /metrics").isEqualTo(2);

    assertPublishes("keys-right", url("keys", "cam?key=obs-key-2"), new StreamKey("keys", "cam"));
  }

  @Test
  void anExpiredOrTamperedSignatureIsRefusedAndAValidOnePublishes() throws Exception {
    StreamKey key = new StreamKey("signed", "cam");
    long now = System.currentTimeMillis() / 1000;
    String expired = SignedUrls.sign(PUBLISH_SECRET, key, now - 1);
    String valid = SignedUrls.sign(PUBLISH_SECRET, key, now + 3600);
    String tampered = valid.substring(0, valid.length() - 1) + (valid.endsWith("0") ? "1" : "0");
    String otherStream = SignedUrls.sign(PUBLISH_SECRET, new StreamKey("signed", "other"), now + 3600);

    assertRefused("sign-expired", url("signed", "cam?sign=" + expired), "signed/cam");
    assertRefused("sign-tampered", url("signed", "cam?sign=" + tampered), "signed/cam");
    assertRefused("sign-other-stream", url("signed", "cam?sign=" + otherStream), "signed/cam");

    assertPublishes("sign-valid", url("signed", "cam?sign=" + valid), key);
  }

  @Test
  void aCallbackAnswering403RefusesThePublishAnd2xxLetsItThroughWithTheNginxRtmpForm() throws Exception {
    assertRefused("callback-denied", url("hooked", "denied-cam?token=abc"), "hooked/denied-cam");
    assertThat(callbacks.calls("publish", "hooked", "denied-cam")).hasSize(1);

    assertPublishes("callback-allowed", url("hooked", "cam?token=abc&app=evil"), new StreamKey("hooked", "cam"));

    CallbackServer.Call call = callbacks.calls("publish", "hooked", "cam").get(0);
    assertThat(call.path()).isEqualTo("/on_publish");
    assertThat(call.contentType()).startsWith("application/x-www-form-urlencoded");
    // Ours, then nginx-rtmp's session fields and the publish's type, then the query but its app=.
    assertThat(call.body()).matches(Pattern.quote("call=publish&app=hooked&name=cam&addr=127.0.0.1&proto=rtmp&tcurl="
        + "rtmp%3A%2F%2F127.0.0.1%3A" + node.rtmpPort() + "%2Fhooked&flashver=FMLE%2F3.0")
        + "[^&]*&swfurl=&pageurl=&clientid=[0-9]+&type=live&token=abc");
    // The publisher ended: the done events follow, with the same fields.
    Await.until("publish_done and done events", Duration.ofSeconds(10),
        () -> callbacks.calls("publish_done", "hooked", "cam").size() == 1
            && callbacks.calls("done", "hooked", "cam").size() == 1);
    assertThat(callbacks.calls("publish_done", "hooked", "cam").get(0).path()).isEqualTo("/on_publish_done");
    assertThat(callbacks.calls("done", "hooked", "cam").get(0).field("token")).isEqualTo("abc");
    assertThat(callbacks.calls("publish_done", "hooked", "denied-cam")).as("no done event for a refused publish")
        .isEmpty();
  }

  @Test
  void anAppWithoutAModeTakesAnyPublisher() throws Exception {
    assertPublishes("open", url("open", "cam"), new StreamKey("open", "cam"));
  }

  private static String url(String app, String nameAndQuery) {
    return "rtmp://127.0.0.1:" + node.rtmpPort() + "/" + app + "/" + nameAndQuery;
  }

  private void assertRefused(String name, String url, String stream) throws Exception {
    Process publisher = processes.own(Clients.publish("publish-auth-" + name, media, url));
    assertThat(publisher.waitFor(15, TimeUnit.SECONDS)).as(name + " ends").isTrue();
    assertThat(publisher.exitValue()).as(name + " exit code").isNotZero();
    // ffmpeg prints the description of the error status it got.
    assertThat(Ffmpeg.logTail("publish-auth-" + name)).contains("Not authorized to publish " + stream + ".");
  }

  /** The publisher is live on the node, and ffmpeg sends the whole file without an error. */
  private void assertPublishes(String name, String url, StreamKey key) throws Exception {
    Process publisher = processes.own(Clients.publish("publish-auth-" + name, media, url));
    Await.until("a publisher on " + key, Duration.ofSeconds(20), () -> node.node().registry().info(key)
        .toCompletionStage().toCompletableFuture().get().map(info -> info.publisher() != null).orElse(false));
    Ffmpeg.awaitSuccess("publish-auth-" + name, publisher, 30);
  }
}
