package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the SRT listener refuses, as an ffmpeg caller sees it (its connect fails, it exits non-zero) while a
 * publish that is allowed goes on: a wrong or missing stream key, a play without its signature or with a
 * forged one, a stream id that names no stream, a caller past {@code srt.max-connections}, a caller with a passphrase.
 */
@Tag("e2e")
class SrtRefusalsTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension("--auth.publish=keyed=keys", "--auth.publish-keys=right-key",
      "--auth.play=signed=sign", "--auth.play-secret=an-srt-play-secret-of-thirty-two-chars",
      "--srt.max-connections=2");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  private Process publish(String name, String streamId, String extra) throws Exception {
    return processes.own(Ffmpeg.start(name, List.of("-re", "-i", TestMedia.audioVideo(6, 2).toString(),
        "-c", "copy", "-f", "mpegts", node.srtUrl(streamId, extra))));
  }

  private static void assertRefused(String name, Process caller) throws Exception {
    assertThat(caller.waitFor(20, TimeUnit.SECONDS)).as(name + " gives up").isTrue();
    assertThat(caller.exitValue()).as(name + " exit code\n" + Ffmpeg.logTail(name)).isNotZero();
    assertThat(Ffmpeg.logTail(name)).as(name + " log").containsIgnoringCase("reject");
  }

  @Test
  void aStreamKeyDecidesAndOnlyTheRightOnePublishes() throws Exception {
    double refused = node.scrape().value("streamedge_connections_refused_total", "reason", "auth");
    assertRefused("srt-wrong-key", publish("srt-wrong-key", "publish:keyed/cam?key=wrong", ""));
    assertRefused("srt-no-key", publish("srt-no-key", "publish:keyed/cam", ""));
    assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "auth") - refused)
        .isEqualTo(2);
    Process allowed = publish("srt-right-key", "publish:keyed/cam?key=right-key", "");
    awaitPublisher("keyed", "cam");
    ChildProcesses.stop(allowed);
  }

  @Test
  void aPlayWithoutItsSignatureIsRefused() throws Exception {
    double refused = node.scrape().value("streamedge_connections_refused_total", "reason", "auth");
    Process reader = processes.own(Ffmpeg.start("srt-read-unsigned", List.of("-i",
        node.srtUrl("read:signed/anything", ""), "-t", "1", "-f", "null", "-")));
    assertRefused("srt-read-unsigned", reader);
    Process forged = processes.own(Ffmpeg.start("srt-read-forged", List.of("-i",
        node.srtUrl("read:signed/anything?sign=4102444800-0000", ""), "-t", "1", "-f", "null", "-")));
    assertRefused("srt-read-forged", forged);
    assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "auth") - refused)
        .isEqualTo(2);
  }

  @Test
  void aStreamIdThatNamesNoStreamIsRefused() throws Exception {
    assertRefused("srt-bad-id", publish("srt-bad-id", "publish:live/..", ""));
    assertRefused("srt-no-id", processes.own(Ffmpeg.start("srt-no-id", List.of("-re",
        "-i", TestMedia.audioVideo(6, 2).toString(), "-c", "copy", "-f", "mpegts",
        "srt://127.0.0.1:" + node.srtPort()))));
  }

  @Test
  void aCallerPastTheConnectionLimitIsRefusedAndTheOthersGoOn() throws Exception {
    // The connections of the other tests' callers are gone (a caller stopped by a signal says so, or times out).
    dev.streamedge.testing.Await.until("no SRT connection", java.time.Duration.ofSeconds(15),
        () -> node.scrape().value("streamedge_srt_connections") == 0);
    Path media = TestMedia.audioVideo(20, 2);
    Process first = processes.own(Ffmpeg.start("srt-limit-1", List.of("-re", "-i", media.toString(), "-c", "copy",
        "-f", "mpegts", node.srtUrl("publish:live/limit-1", ""))));
    Process second = processes.own(Ffmpeg.start("srt-limit-2", List.of("-re", "-i", media.toString(), "-c", "copy",
        "-f", "mpegts", node.srtUrl("publish:live/limit-2", ""))));
    awaitPublisher("live", "limit-1");
    awaitPublisher("live", "limit-2");
    assertRefused("srt-limit-3", publish("srt-limit-3", "publish:live/limit-3", ""));
    assertThat(first.isAlive()).as("the first publisher goes on").isTrue();
    assertThat(second.isAlive()).as("the second publisher goes on").isTrue();
    ChildProcesses.stop(first);
    ChildProcesses.stop(second);
  }

  @Test
  void aCallerWithAPassphraseIsRefusedNotLeftWithoutEncryption() throws Exception {
    assertRefused("srt-passphrase", publish("srt-passphrase", "publish:live/secret", "&passphrase=0123456789abcdef"));
  }

  private static void awaitPublisher(String app, String name) throws Exception {
    dev.streamedge.testing.Await.until("a publisher on " + app + "/" + name, java.time.Duration.ofSeconds(20),
        () -> node.node().registry().info(new dev.streamedge.stream.StreamKey(app, name))
            .toCompletionStage().toCompletableFuture().get()
            .map(info -> info.publisher() != null).orElse(false));
  }
}
