package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx-rtmp's {@code allow}/{@code deny} lines as {@code auth.publish-access} and {@code auth.play-access}, tried
 * with real clients from 127.0.0.1: an address let in publishes over RTMP and SRT; one kept out is refused over
 * RTMP (ffmpeg gives up), SRT (the caller is rejected), HTTP-FLV and HLS (403, playlists and segments alike), each
 * refusal logged with the key that refused it and counted.
 */
@Tag("e2e")
class AddressAccessTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void anAddressKeptFromPlayingIsRefusedOverEveryProtocolWhileAnAllowedOnePublishes() throws Exception {
    try (TestNode node = TestNode.start("--auth.publish-access=allow 127.0.0.1, allow ::1, deny all",
        "--auth.play-access=deny 127.0.0.0/8, allow all"); LogLines logs = LogLines.capture()) {
      processes.own(Clients.publishLooping("access-publisher", TestMedia.audioVideo(6, 1), node.rtmpUrl("access")));
      node.awaitPublisher("access");
      double refused = node.scrape().value("streamedge_connections_refused_total", "reason", "auth");

      Path out = Clients.output("access-rtmp-player.framemd5");
      Process rtmp = processes.own(Clients.playToHashes("access-rtmp-player", node.rtmpUrl("access"), out));
      assertThat(rtmp.waitFor(20, TimeUnit.SECONDS)).as("the RTMP player gives up").isTrue();
      assertThat(rtmp.exitValue()).as(Ffmpeg.logTail("access-rtmp-player")).isNotZero();

      Process srt = processes.own(Ffmpeg.startDebian("access-srt-player", List.of("-i",
          node.srtUrl("read:live/access", ""), "-t", "1", "-f", "null", "-")));
      assertThat(srt.waitFor(20, TimeUnit.SECONDS)).as("the SRT player gives up").isTrue();
      assertThat(srt.exitValue()).isNotZero();
      assertThat(Ffmpeg.logTail("access-srt-player")).containsIgnoringCase("reject");

      assertThat(Http.status(node.httpUrl("/live/access.flv"))).as("HTTP-FLV").isEqualTo(403);
      assertThat(Http.status(node.httpUrl("/hls/access.m3u8"))).as("an HLS playlist").isEqualTo(403);
      assertThat(Http.status(node.httpUrl("/hls/live/access/0.ts"))).as("an HLS segment").isEqualTo(403);

      logs.await("play refused 127\\.0\\.0\\.1:\\d+ stream=live/access protocol=rtmp reason=auth: address 127\\.0\\.0\\.1"
          + " not allowed by auth\\.play-access", Duration.ofSeconds(5));
      assertThat(logs.contains("play refused \\S+ stream=live/access protocol=srt reason=auth: address")).isTrue();
      assertThat(logs.contains("play refused \\S+ stream=live/access protocol=http-flv reason=auth: address")).isTrue();
      assertThat(logs.contains("play refused \\S+ stream=live/access protocol=hls reason=auth: address")).isTrue();
      assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "auth") - refused)
          .as("RTMP, SRT, HTTP-FLV, two HLS requests").isGreaterThanOrEqualTo(5);
    }
  }

  /** As nginx-rtmp's lines in application blocks: each app's own list, {@code *} for the others. */
  @Test
  void perAppListsKeepAnAddressOutOfOneAppAndLetItIntoAnother() throws Exception {
    try (TestNode node = TestNode.start("--auth.publish-access=studio=deny all",
        "--auth.play-access=live=deny 127.0.0.0/8; *=allow 127.0.0.1, deny all"); LogLines logs = LogLines.capture()) {
      Path media = TestMedia.audioVideo(6, 1);
      processes.own(Clients.publishLooping("app-access-live", media, node.rtmpUrl("open")));
      processes.own(Clients.publishLooping("app-access-tv", media, node.rtmpUrl("open").replace("/live/", "/tv/")));
      Process studio = processes.own(Clients.publish("app-access-studio", media,
          node.rtmpUrl("kept").replace("/live/", "/studio/")));
      node.awaitPublisher("open");
      Await.until("tv/open's HLS playlist, played from 127.0.0.1", Duration.ofSeconds(20),
          () -> Http.status(node.httpUrl("/hls/tv/open.m3u8")) == 200);

      assertThat(studio.waitFor(20, TimeUnit.SECONDS)).as("the publisher to studio gives up").isTrue();
      assertThat(studio.exitValue()).as(Ffmpeg.logTail("app-access-studio")).isNotZero();
      logs.await("publish refused \\S+ stream=studio/kept protocol=rtmp reason=auth: address 127\\.0\\.0\\.1 not"
          + " allowed by auth\\.publish-access", Duration.ofSeconds(5));

      assertThat(Http.status(node.httpUrl("/hls/live/open.m3u8"))).as("live's HLS, kept from 127.0.0.0/8").isEqualTo(403);
      assertThat(Http.status(node.httpUrl("/live/open.flv"))).as("live's HTTP-FLV").isEqualTo(403);
      Path out = Clients.output("app-access-live-player.framemd5");
      Process rtmp = processes.own(Clients.playToHashes("app-access-live-player", node.rtmpUrl("open"), out));
      assertThat(rtmp.waitFor(20, TimeUnit.SECONDS)).as("the RTMP player of live gives up").isTrue();
      assertThat(rtmp.exitValue()).isNotZero();
      logs.await("play refused \\S+ stream=live/open protocol=rtmp reason=auth: address 127\\.0\\.0\\.1 not allowed"
          + " by auth\\.play-access", Duration.ofSeconds(5));
      assertThat(logs.contains("play refused \\S+ stream=tv/")).as("nothing of tv refused").isFalse();
    }
  }

  @Test
  void anAddressKeptFromPublishingIsRefusedOverRtmpAndSrt() throws Exception {
    try (TestNode node = TestNode.start("--auth.publish-access=deny 127.0.0.1, allow all");
        LogLines logs = LogLines.capture()) {
      Process rtmp = processes.own(Clients.publish("access-refused-rtmp", TestMedia.audioVideo(4, 1),
          node.rtmpUrl("kept-out")));
      assertThat(rtmp.waitFor(20, TimeUnit.SECONDS)).as("the RTMP publisher gives up").isTrue();
      assertThat(rtmp.exitValue()).as(Ffmpeg.logTail("access-refused-rtmp")).isNotZero();

      Process srt = processes.own(Ffmpeg.start("access-refused-srt", List.of("-re", "-i",
          TestMedia.audioVideo(4, 1).toString(), "-c", "copy", "-f", "mpegts",
          node.srtUrl("publish:live/kept-out", ""))));
      assertThat(srt.waitFor(20, TimeUnit.SECONDS)).as("the SRT caller gives up").isTrue();
      assertThat(srt.exitValue()).isNotZero();

      logs.await("publish refused \\S+ stream=live/kept-out protocol=rtmp reason=auth: address 127\\.0\\.0\\.1 not"
          + " allowed by auth\\.publish-access", Duration.ofSeconds(5));
      logs.await("publish refused \\S+ stream=live/kept-out protocol=srt reason=auth: address", Duration.ofSeconds(5));
      assertThat(Http.status(node.httpUrl("/live/kept-out.flv"))).as("no stream came of it").isEqualTo(404);
    }
  }
}
