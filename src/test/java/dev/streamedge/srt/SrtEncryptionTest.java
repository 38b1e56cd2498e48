package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SRT with a passphrase (AES-CTR, keys wrapped under PBKDF2 of the passphrase): a caller that encrypts with
 * it, and changes its keys every 300 packets, reaches an RTMP player packet for packet; a player with it
 * decodes the stream sent encrypted; a wrong passphrase and none are refused, counted as auth refusals.
 */
@Tag("e2e")
class SrtEncryptionTest {

  private static final String PASSPHRASE = "correct-horse-battery";

  @RegisterExtension
  static final TestNode node = TestNode.extension("--srt.passphrase=" + PASSPHRASE);
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void anEncryptedCallerThatChangesItsKeysArrivesPacketForPacket() throws Exception {
    Path ts = Clients.output("srt-enc.ts");
    Path flv = Clients.output("srt-enc-from-ts.flv");
    Ffmpeg.run("srt-enc-to-ts", List.of("-i", TestMedia.audioVideo(6, 2).toString(), "-c", "copy", "-f", "mpegts",
        "-y", ts.toString()), 60);
    Ffmpeg.run("srt-enc-ts-to-flv", List.of("-i", ts.toString(), "-c", "copy", "-f", "flv", "-y", flv.toString()), 60);
    FrameHashes published = FrameHashes.ofFile(flv);
    Path out = Clients.output("srt-enc-player.framemd5");
    Process player = processes.own(Clients.playToHashes("srt-enc-player", node.rtmpUrl("srt-enc"), out));
    node.awaitSubscribers("srt-enc", 1);
    // A new key every 300 packets, announced 100 ahead, each in a KMREQ control packet answered with a KMRSP:
    // about 620 packets here, so the stream is sent with three keys, even, odd and even again.
    Process caller = processes.own(Ffmpeg.startDebian("srt-enc-publisher", List.of("-re", "-i", ts.toString(),
        "-c", "copy", "-f", "mpegts", node.srtUrl("publish:live/srt-enc",
            "&passphrase=" + PASSPHRASE + "&kmrefreshrate=300&kmpreannounce=100&linger=2"))));
    Ffmpeg.awaitSuccess("srt-enc-publisher", caller, 60);
    Ffmpeg.awaitSuccess("srt-enc-player", player, 20);
    FrameHashes received = FrameHashes.parse(out);
    assertThat(received.video()).as("video packets").isEqualTo(published.video());
    assertThat(received.audio()).as("audio packets").isEqualTo(published.audio());
  }

  /**
   * A player with the passphrase gets the stream encrypted with the keys it gave (HSv5: one set for both
   * directions) and decodes it; a 16-byte key here (pbkeylen), where the publisher above used the default.
   */
  @Test
  void aPlayerWithThePassphraseGetsTheStreamEncryptedAndPlaysIt() throws Exception {
    processes.own(Clients.publishLooping("srt-enc-play-publisher", TestMedia.audioVideo(6, 1),
        node.rtmpUrl("srt-enc-play")));
    node.awaitPublisher("srt-enc-play");
    double sent = node.scrape().value("streamedge_srt_packets_sent_total");
    Path out = Clients.output("srt-enc-play-player.framemd5");
    // Decoding: a packet decrypted with the wrong key would be noise that the decoders report, not pictures.
    Ffmpeg.run("srt-enc-play-player", List.of("-xerror", "-i", node.srtUrl("read:live/srt-enc-play",
        "&passphrase=" + PASSPHRASE + "&pbkeylen=16"), "-t", "4", "-map", "0", "-f", "framemd5", "-y",
        out.toString()), 60);
    FrameHashes played = FrameHashes.parse(out);
    assertThat(played.video()).as("decoded pictures").hasSizeGreaterThan(75);
    assertThat(played.audio()).as("decoded audio frames").hasSizeGreaterThan(120);
    assertThat(node.scrape().value("streamedge_srt_packets_sent_total") - sent).as("packets sent").isGreaterThan(100);
  }

  @Test
  void aWrongPassphraseAndNoneAreRefused() throws Exception {
    double refused = node.scrape().value("streamedge_connections_refused_total", "reason", "auth");
    Process wrong = processes.own(Ffmpeg.start("srt-enc-wrong", List.of("-re", "-i",
        TestMedia.audioVideo(6, 2).toString(), "-c", "copy", "-f", "mpegts",
        node.srtUrl("publish:live/srt-enc-wrong", "&passphrase=not-the-passphrase"))));
    Process none = processes.own(Ffmpeg.start("srt-enc-none", List.of("-re", "-i",
        TestMedia.audioVideo(6, 2).toString(), "-c", "copy", "-f", "mpegts",
        node.srtUrl("publish:live/srt-enc-none", ""))));
    for (String name : List.of("srt-enc-wrong", "srt-enc-none")) {
      Process caller = name.endsWith("wrong") ? wrong : none;
      assertThat(caller.waitFor(20, TimeUnit.SECONDS)).as(name + " gives up").isTrue();
      assertThat(caller.exitValue()).as(name).isNotZero();
      assertThat(Ffmpeg.logTail(name)).as(name).containsIgnoringCase("reject");
    }
    assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "auth") - refused)
        .as("the wrong passphrase, an auth refusal").isEqualTo(1);
  }
}
