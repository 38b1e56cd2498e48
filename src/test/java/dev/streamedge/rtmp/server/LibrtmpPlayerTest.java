package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Rtmpdump;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * rtmpdump plays through librtmp, the RTMP implementation of OBS's classic output and of many players,
 * independent of ffmpeg's: what it saves is what ffmpeg published, frame for frame, over plain RTMP, RTMPS
 * and RTMPTS (RTMPE and RTMPT(E) have their own classes).
 */
@Tag("e2e")
class LibrtmpPlayerTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  /** The URL rtmpdump plays, for each variant that arrives at the server as plain RTMP bytes or TLS. */
  enum Variant {
    RTMP, RTMPS, RTMPTS;

    String[] options() {
      return switch (this) {
        case RTMP -> new String[0];
        // librtmp 2.4 with GnuTLS (Debian's rtmpdump) fails its handshake against this server's TLS 1.3
        // ("RTMP_Connect1, handshake failed" after the TLS handshake): TLS 1.2 alone, as documented.
        case RTMPS -> withOption(TestNode.rtmpsOptions(), "--rtmp.rtmps.versions=TLSv1.2");
        case RTMPTS -> withOption(TestNode.httpsOptions(), "--http.tls.versions=TLSv1.2");
      };
    }

    private static String[] withOption(String[] options, String option) {
      String[] all = java.util.Arrays.copyOf(options, options.length + 1);
      all[options.length] = option;
      return all;
    }

    String url(TestNode node, String key) {
      return switch (this) {
        case RTMP -> node.rtmpUrl(key);
        case RTMPS -> node.rtmpsUrl(key);
        case RTMPTS -> node.rtmptsUrl(key);
      };
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void rtmpdumpReceivesEveryPublishedPacket(Variant variant) throws Exception {
    String name = "rtmpdump-" + variant.name().toLowerCase(java.util.Locale.ROOT);
    Path media = TestMedia.audioVideo(6, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Path saved = Clients.output(name + ".flv");
    try (TestNode node = TestNode.start(variant.options())) {
      // librtmp accepts the self-signed test certificate, as it does any: it does not verify peers.
      Process player = processes.own(Rtmpdump.play(variant.url(node, "librtmp"), saved, name + ".log"));
      node.awaitSubscribers("librtmp", 1);
      Ffmpeg.awaitSuccess(name + "-publisher", Clients.publish(name + "-publisher", media, node.rtmpUrl("librtmp")),
          60);
      // librtmp ends a live download when the stream is unpublished.
      assertThat(player.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended").isTrue();
    }
    Path hashes = Clients.output(name + ".framemd5");
    Ffmpeg.run(name + "-framemd5", List.of("-i", saved.toString(), "-map", "0", "-c", "copy", "-f", "framemd5",
        "-y", hashes.toString()), 30);
    FrameHashes received = FrameHashes.parse(hashes);
    assertThat(received.video()).as(variant + " video").isEqualTo(published.video());
    assertThat(received.audio()).as(variant + " audio").isEqualTo(published.audio());
  }
}
