package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.auth.SignedUrls;
import dev.streamedge.mpegts.Crc32Mpeg2;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Gstreamer;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.netty.buffer.Unpooled;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code hls.keys} (nginx-rtmp's {@code hls_keys}) as players meet it: the MPEG-TS segments of an encrypted app
 * are AES-128 (RFC 8216 §4.3.2.4) and decrypt only with the key the playlist names and the segment's sequence
 * number as IV; ffmpeg 8, Debian's ffmpeg 5.1 and GStreamer 1.22 play the seed URL; keys rotate every {@code
 * hls.fragments-per-key} segments; a key is behind the same signed-URL play auth as the playlist, whose query
 * goes on to the key URIs; the app's fMP4, LL-HLS and DASH forms are not served, another app's are.
 */
@Tag("e2e")
class EncryptedHlsTest {

  private static final String PLAY_SECRET = "encrypted-hls-play-secret";
  private static final Pattern KEY_OR_SEGMENT = Pattern.compile(
      "#EXT-X-KEY:METHOD=AES-128,URI=\"([^\"]+)\"|#EXTINF:[0-9.]+,\\n([^\\n]+)");

  @RegisterExtension
  static final ChildProcesses processes = new ChildProcesses();
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    // live and premium are encrypted (premium also signed); clear is not, and keeps its LL-HLS default.
    node = TestNode.start("--hls.target-duration=1s", "--hls.variant=live=mpegts,premium=mpegts,*=low-latency",
        "--hls.keys=live,premium", "--hls.fragments-per-key=2", "--auth.play=premium=sign",
        "--auth.play-secret=" + PLAY_SECRET);
    Path media = TestMedia.audioVideo(8, 1);
    processes.own(Clients.publishLooping("encrypted-live", media, node.rtmpUrl("secret")));
    processes.own(Clients.publishLooping("encrypted-premium", media,
        "rtmp://127.0.0.1:" + node.rtmpPort() + "/premium/show"));
    processes.own(Clients.publishLooping("encrypted-clear", media,
        "rtmp://127.0.0.1:" + node.rtmpPort() + "/clear/show"));
    node.awaitPublisher("secret");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void everySegmentDecryptsWithTheKeyItsPlaylistNamesAndItsSequenceAndKeysRotateEveryTwo() throws Exception {
    String playlistUrl = node.httpUrl("/hls/secret.m3u8");
    Await.until("six encrypted segments listed", Duration.ofSeconds(20),
        () -> Http.get(playlistUrl).body().split("#EXTINF", -1).length > 6);
    String playlist = Http.get(playlistUrl).body();
    assertThat(playlist).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"secret/key-");

    Map<String, String> keyOfSegment = new LinkedHashMap<>();
    String keyUri = null;
    Matcher m = KEY_OR_SEGMENT.matcher(playlist);
    while (m.find()) {
      if (m.group(1) != null) {
        keyUri = m.group(1);
      } else {
        keyOfSegment.put(m.group(2).trim(), keyUri);
      }
    }
    assertThat(keyOfSegment).as(playlist).hasSizeGreaterThanOrEqualTo(6).doesNotContainValue(null);
    // hls.fragments-per-key=2: a key encrypts two segments, named by the first one's sequence number.
    assertThat(keyOfSegment.values().stream().distinct().count()).as(playlist).isGreaterThanOrEqualTo(3);
    for (String key : keyOfSegment.values().stream().distinct().toList()) {
      assertThat(keyOfSegment.values().stream().filter(key::equals).count()).as(key + " in " + playlist)
          .isLessThanOrEqualTo(2);
    }

    Map<String, byte[]> keys = new LinkedHashMap<>();
    int index = 0;
    for (Map.Entry<String, String> listed : keyOfSegment.entrySet()) {
      String segmentUri = listed.getKey();
      byte[] key = keys.get(listed.getValue());
      if (key == null) {
        HttpResponse<byte[]> served = Http.getBytes(node.httpUrl("/hls/" + listed.getValue()));
        assertThat(served.statusCode()).as(listed.getValue()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(served.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        key = served.body();
        assertThat(key).hasSize(16);
        keys.put(listed.getValue(), key);
      }
      HttpResponse<byte[]> segment = Http.getBytes(node.httpUrl("/hls/" + segmentUri));
      assertThat(segment.statusCode()).as(segmentUri).isEqualTo(200);
      byte[] encrypted = segment.body();
      assertThat(encrypted.length % 16).as("AES blocks").isZero();
      assertThat(encrypted[0] == 0x47 && encrypted[188] == 0x47 && encrypted[376] == 0x47)
          .as(segmentUri + " is not plain MPEG-TS").isFalse();
      long sequence = Long.parseLong(segmentUri.replaceAll(".*/(\\d+)\\.ts", "$1"));
      byte[] plain = decrypt(encrypted, key, sequence);
      assertThat(plain.length % 188).as(segmentUri + " decrypted: whole TS packets").isZero();
      for (int at = 0; at < plain.length; at += 188) {
        assertThat(plain[at]).as(segmentUri + " sync byte at " + at).isEqualTo((byte) 0x47);
      }
      Path file = Clients.output("encrypted-hls-" + index++ + ".ts");
      Files.write(file, plain);
      Ffmpeg.run("encrypted-hls-decode-" + index, List.of("-v", "error", "-xerror", "-i", file.toString(), "-f",
          "null", "-"), 30);
      assertThat(Ffmpeg.logTail("encrypted-hls-decode-" + index).strip()).as(segmentUri + " decode errors").isEmpty();
      // CBC: the IV only enters the first block, which holds the PAT; its CRC holds with the right IV only.
      assertThat(patIntact(plain)).as(segmentUri + ": its PAT, decrypted with its sequence number as IV").isTrue();
      assertThat(patIntact(decrypt(encrypted, key, sequence + 1))).as(segmentUri + ": its PAT, decrypted with the"
          + " next sequence number as IV").isFalse();
    }
  }

  @Test
  void ffmpeg8AndDebiansFfmpeg51PlayTheSeedUrlDecryptingAsTheyGo() throws Exception {
    String playlistUrl = node.httpUrl("/hls/secret.m3u8");
    Await.until("the encrypted playlist", Duration.ofSeconds(20), () -> Http.status(playlistUrl) == 200);
    Path hashes = Clients.output("encrypted-hls-ffmpeg8.framemd5");
    Ffmpeg.run("encrypted-hls-ffmpeg8", List.of("-v", "error", "-i", playlistUrl, "-t", "6", "-map", "0",
        "-c", "copy", "-f", "framemd5", "-y", hashes.toString()), 60);
    assertThat(Ffmpeg.logTail("encrypted-hls-ffmpeg8").strip()).as("ffmpeg 8's errors").isEmpty();
    FrameHashes read = FrameHashes.parse(hashes);
    assertThat(read.video().size()).as("video packets in 6 s").isGreaterThan(5 * 25);
    assertThat(read.audio().size()).as("audio packets in 6 s").isGreaterThan(5 * 40);

    Process debian = Ffmpeg.startDebian("encrypted-hls-ffmpeg51", List.of("-v", "error", "-i", playlistUrl,
        "-t", "4", "-f", "null", "-"));
    Ffmpeg.awaitSuccess("encrypted-hls-ffmpeg51", debian, 60);
    assertThat(Ffmpeg.logTail("encrypted-hls-ffmpeg51").strip()).as("ffmpeg 5.1's errors").isEmpty();
  }

  /**
   * GStreamer 1.22's hlsdemux reads EXT-X-MEDIA-SEQUENCE as a 32-bit integer, which ours overflow: with the IV
   * left for it to derive it decrypted each segment's PAT wrongly and showed no frame. With the IV in the tag
   * it plays.
   */
  @Test
  void gstreamerPlaysTheSeedUrlWithTheIvsThePlaylistWritesOut() throws Exception {
    String playlistUrl = node.httpUrl("/hls/secret.m3u8");
    Await.until("the encrypted playlist", Duration.ofSeconds(20), () -> Http.status(playlistUrl) == 200);
    processes.own(Gstreamer.play("encrypted-hls-gstreamer", playlistUrl));
    // 100 frames are 4 s of the 25 fps source, across two keys at least.
    try {
      Await.until("GStreamer showing 100 frames", Duration.ofSeconds(30),
          () -> Gstreamer.rendered("encrypted-hls-gstreamer")[0] >= 100);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ", " + Gstreamer.rendered("encrypted-hls-gstreamer")[0]
          + " shown:\n" + Gstreamer.logTail("encrypted-hls-gstreamer"), e);
    }
  }

  @Test
  void aKeyIsServedOnlyWithThePlaylistsSignatureWhichGoesOnToTheKeyUris() throws Exception {
    StreamKey show = new StreamKey("premium", "show");
    String sign = "?sign=" + SignedUrls.sign(PLAY_SECRET, show, System.currentTimeMillis() / 1000 + 3600);
    String playlistUrl = node.httpUrl("/hls/premium/show.m3u8");
    Await.until("the signed playlist", Duration.ofSeconds(20), () -> Http.status(playlistUrl + sign) == 200);
    assertThat(Http.status(playlistUrl)).as("the playlist without a signature").isEqualTo(403);
    String playlist = Http.get(playlistUrl + sign).body();
    Matcher key = Pattern.compile("#EXT-X-KEY:METHOD=AES-128,URI=\"(show/key-\\d+\\.key)(\\?[^\"]*)\"").matcher(playlist);
    assertThat(key.find()).as(playlist).isTrue();
    assertThat(key.group(2)).as("the playlist's query on the key URI").isEqualTo(sign);
    String keyUrl = node.httpUrl("/hls/premium/" + key.group(1));
    assertThat(Http.status(keyUrl)).as("the key without a signature").isEqualTo(403);
    StreamKey other = new StreamKey("premium", "other");
    assertThat(Http.status(keyUrl + "?sign=" + SignedUrls.sign(PLAY_SECRET, other,
        System.currentTimeMillis() / 1000 + 3600))).as("the key with another stream's signature").isEqualTo(403);
    HttpResponse<byte[]> served = Http.getBytes(keyUrl + sign);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).hasSize(16);
    // ffmpeg follows the key URI with its query, as a player does.
    Ffmpeg.run("encrypted-hls-signed", List.of("-v", "error", "-i", playlistUrl + sign, "-t", "3", "-f", "null",
        "-"), 60);
    assertThat(Ffmpeg.logTail("encrypted-hls-signed").strip()).as("ffmpeg's errors").isEmpty();
  }

  @Test
  void theFormsThatWouldGoInTheClearAreNotServedForAnEncryptedAppAndAreForAnother() throws Exception {
    Await.until("the encrypted playlist", Duration.ofSeconds(20),
        () -> Http.status(node.httpUrl("/hls/secret.m3u8")) == 200);
    Await.until("the clear app's LL-HLS", Duration.ofSeconds(20),
        () -> Http.status(node.httpUrl("/hls/clear/show.m3u8")) == 200);
    String fmp4 = Http.get(node.httpUrl("/hls/clear/show/fmp4.m3u8")).body();
    Matcher init = Pattern.compile("init-(\\d+)\\.mp4").matcher(fmp4);
    assertThat(init.find()).as(fmp4).isTrue();
    // Every stream is packaged in every form: the encrypted one's fMP4 segment of a sequence its MPEG-TS
    // playlist lists exists, and is withheld.
    Matcher listed = Pattern.compile("\\n(?:secret/)?(\\d+)\\.ts").matcher(Http.get(node.httpUrl("/hls/secret.m3u8")).body());
    assertThat(listed.find()).isTrue();
    List<String> withheld = new ArrayList<>(List.of("/hls/live/secret/ll.m3u8", "/hls/live/secret/fmp4.m3u8",
        "/hls/live/secret/" + listed.group(1) + ".m4s", "/hls/secret/" + listed.group(1) + ".m4s",
        "/dash/secret.mpd", "/dash/live/secret.mpd"));
    for (String path : withheld) {
      assertThat(Http.status(node.httpUrl(path))).as(path).isEqualTo(404);
    }
    assertThat(Http.get(node.httpUrl("/hls/live/secret/ts.m3u8")).body()).contains("#EXT-X-KEY:METHOD=AES-128");
    assertThat(Http.get(node.httpUrl("/hls/clear/show.m3u8")).body()).contains("#EXT-X-PART:")
        .doesNotContain("EXT-X-KEY");
    assertThat(Http.status(node.httpUrl("/hls/clear/show/init-" + init.group(1) + ".mp4"))).isEqualTo(200);
    Await.until("the clear app's DASH", Duration.ofSeconds(10),
        () -> Http.status(node.httpUrl("/dash/clear/show.mpd")) == 200);
    assertThat(Http.get(node.httpUrl("/hls/clear/show/ts.m3u8")).body()).doesNotContain("EXT-X-KEY");
    assertThat(Http.status(node.httpUrl("/hls/secret/key-1.key"))).as("no such key").isEqualTo(404);
  }

  /** Whether {@code ts} opens with a PAT (PID 0, a section starting there) whose CRC_32 holds. */
  private static boolean patIntact(byte[] ts) {
    if (ts[0] != 0x47 || (ts[1] & 0x5F) != 0x40 || ts[2] != 0 || ts[4] != 0 || ts[5] != 0) {
      return false;
    }
    int sectionLength = (ts[6] & 0x0F) << 8 | ts[7] & 0xFF;
    return sectionLength < 180 && Crc32Mpeg2.compute(Unpooled.wrappedBuffer(ts), 5, 3 + sectionLength) == 0;
  }

  private static byte[] decrypt(byte[] encrypted, byte[] key, long sequence) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
        new IvParameterSpec(ByteBuffer.allocate(16).putLong(8, sequence).array()));
    return cipher.doFinal(encrypted);
  }
}
