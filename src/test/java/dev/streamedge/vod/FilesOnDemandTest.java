package dev.streamedge.vod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Gstreamer;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FLV files played on demand, as nginx-rtmp's {@code play} directive serves them, to players we did not
 * write: ffmpeg plays a file frame for frame at the pace of its timestamps and seeks in it, rtmpdump
 * downloads one as fast as its buffer of hours lets it (and starts where --start says), GStreamer's
 * rtmp2src saves one and ends with it, and a name without a file, a broken file or a play
 * beyond {@code vod.max-sessions} fails only that play.
 */
@Tag("e2e")
class FilesOnDemandTest {

  /** Six seconds, a keyframe every second at 25 fps. */
  private static final int SECONDS = 6;
  private static final int GOP_FRAMES = 25;

  /** The directory of app vod, for every test of the class. */
  private static final Path FILES = Path.of("target", "test-out", "vod-files").toAbsolutePath();

  /** One node for the class: a play of a file changes nothing a later test could see. */
  @RegisterExtension
  static final TestNode NODE = TestNode.extension("--vod.apps=vod=" + FILES);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  private static FrameHashes movie() throws Exception {
    Path media = TestMedia.audioVideo(SECONDS, 1);
    Files.createDirectories(FILES);
    Files.copy(media, FILES.resolve("movie.flv"), StandardCopyOption.REPLACE_EXISTING);
    return FrameHashes.ofFile(media);
  }

  /**
   * The movie as MP4 (the same packets, B-frames and AAC), its index where ffmpeg leaves it: at the end, or at
   * the start with {@code faststart}.
   */
  private static FrameHashes movieMp4(String name, boolean faststart) throws Exception {
    return movieMp4(name, faststart ? "+faststart" : "");
  }

  /** The movie as MP4 written with ffmpeg's {@code -movflags} {@code movflags} (none when empty). */
  private static FrameHashes movieMp4(String name, String movflags) throws Exception {
    movie();
    Path mp4 = FILES.resolve(name);
    List<String> args = new ArrayList<>(List.of("-i", FILES.resolve("movie.flv").toString(), "-c", "copy"));
    if (!movflags.isEmpty()) {
      args.addAll(List.of("-movflags", movflags));
    }
    args.addAll(List.of("-y", mp4.toString()));
    Ffmpeg.run("vod-" + name, args, 30);
    return FrameHashes.ofFile(mp4);
  }

  private static String url(TestNode node, String name) {
    return "rtmp://127.0.0.1:" + node.rtmpPort() + "/vod/" + name;
  }

  /** A node of its own, with {@code more} options. */
  private static TestNode node(String... more) throws Exception {
    String[] options = new String[more.length + 1];
    options[0] = "--vod.apps=vod=" + FILES;
    System.arraycopy(more, 0, options, 1, more.length);
    return TestNode.start(options);
  }

  @Test
  void ffmpegPlaysAFileFrameForFrameAtThePaceOfItsTimestamps() throws Exception {
    FrameHashes published = movie();
    Path hashes = Clients.output("vod-ffmpeg.framemd5");
    long start = System.nanoTime();
    // ffmpeg drops ".flv" from the URL's name, as nginx-rtmp users write it.
    Ffmpeg.awaitSuccess("vod-ffmpeg", Clients.playToHashes("vod-ffmpeg", url(NODE, "movie.flv"), hashes), 30);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // ffmpeg asks for a 3 s buffer: the file's last tags leave 3 s before their time, not all at once.
    assertThat(millis).as("a 6 s file played ahead by 3 s").isGreaterThan(2500);
    FrameHashes received = FrameHashes.parse(hashes);
    assertThat(received.video()).as("video").isEqualTo(published.video());
    assertThat(received.audio()).as("audio").isEqualTo(published.audio());
  }

  @Test
  void rtmpdumpDownloadsAFileAsFastAsItsBufferAllows() throws Exception {
    FrameHashes published = movie();
    Path saved = Clients.output("vod-rtmpdump.flv");
    Files.deleteIfExists(saved);
    long start = System.nanoTime();
    // Not --live: a recorded stream, with rtmpdump's default buffer of 10 hours.
    Process rtmpdump = processes.own(new ProcessBuilder("rtmpdump", "-r", "rtmp://127.0.0.1:" + NODE.rtmpPort()
        + "/vod", "-y", "movie", "-o", saved.toString())
        .redirectErrorStream(true)
        .redirectOutput(Clients.output("vod-rtmpdump.log").toFile())
        .start());
    assertThat(rtmpdump.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended by itself").isTrue();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(millis).as("a 6 s file downloaded in less than its duration").isLessThan(SECONDS * 1000 / 2);
    FrameHashes received = FrameHashes.ofFile(saved);
    assertThat(received.video()).as("video").isEqualTo(published.video());
    assertThat(received.audio()).as("audio").isEqualTo(published.audio());
  }

  @Test
  void gstreamerSavesAFileFrameForFrameAndEndsWithIt() throws Exception {
    FrameHashes published = movie();
    Path saved = Clients.output("vod-gstreamer.flv");
    Files.deleteIfExists(saved);
    Process gst = processes.own(Gstreamer.saveRtmp("vod-gstreamer", url(NODE, "movie"), saved));
    assertThat(gst.waitFor(20, TimeUnit.SECONDS)).as("rtmp2src ended with the file").isTrue();
    assertThat(gst.exitValue()).as(Gstreamer.logTail("vod-gstreamer")).isZero();
    FrameHashes received = FrameHashes.ofFile(saved);
    // rtmp2src may lose the one message it holds when StreamEOF ends its task (GstreamerClientsTest).
    FrameHashes expected = published.withoutLastIfShort(received);
    assertThat(received.video()).as("video").isEqualTo(expected.video());
    assertThat(received.audio()).as("audio").isEqualTo(expected.audio());
  }

  @Test
  void ffmpegSeeksToTheKeyframeBeforeItsStart() throws Exception {
    FrameHashes published = movie();
    Path hashes = Clients.output("vod-seek.framemd5");
    // -ss before -i: ffmpeg sends NetStream.seek and waits for NetStream.Seek.Notify.
    Ffmpeg.awaitSuccess("vod-seek", Ffmpeg.start("vod-seek", List.of("-ss", "3", "-i", url(NODE, "movie"),
        "-map", "0", "-c", "copy", "-f", "framemd5", "-y", hashes.toString())), 30);
    assertStartsAtAKeyframeAfterTheStart("ffmpeg -ss 3", published, FrameHashes.parse(hashes));
  }

  @Test
  void rtmpdumpStartsAtTheKeyframeBeforeItsStartArgument() throws Exception {
    FrameHashes published = movie();
    Path saved = Clients.output("vod-start.flv");
    Files.deleteIfExists(saved);
    // --start puts 3000 ms in play's Start argument (RTMP 1.0 §7.2.2.1).
    Process rtmpdump = processes.own(new ProcessBuilder("rtmpdump", "-r", "rtmp://127.0.0.1:" + NODE.rtmpPort()
        + "/vod", "-y", "movie", "-A", "3", "-o", saved.toString())
        .redirectErrorStream(true)
        .redirectOutput(Clients.output("vod-start.log").toFile())
        .start());
    assertThat(rtmpdump.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended by itself").isTrue();
    assertStartsAtAKeyframeAfterTheStart("rtmpdump --start 3", published, FrameHashes.ofFile(saved));
  }

  private static void assertStartsAtAKeyframeAfterTheStart(String what, FrameHashes published, FrameHashes received) {
    int first = FrameHashes.assertContiguous(what + " video", published.video(), received.video());
    assertThat(first).as(what + ": the first video packet is a keyframe after the file's start").isPositive();
    assertThat(first % GOP_FRAMES).as(what + ": frame " + first + " starts a GOP").isZero();
    assertThat(first + received.video().size()).as(what + ": played on to the end")
        .isEqualTo(published.video().size());
  }

  @Test
  void ffprobeReadsTheLengthOfFilesWhoseMetadataHasNone() throws Exception {
    movie();
    // As an encoder writing to a pipe leaves them: onMetaData without duration, and no onMetaData at all.
    Ffmpeg.run("vod-no-length", List.of("-i", FILES.resolve("movie.flv").toString(), "-c", "copy", "-flvflags",
        "no_duration_filesize", "-y", FILES.resolve("no-length.flv").toString()), 30);
    Ffmpeg.run("vod-no-metadata", List.of("-i", FILES.resolve("movie.flv").toString(), "-c", "copy", "-flvflags",
        "no_metadata", "-y", FILES.resolve("no-metadata.flv").toString()), 30);
    for (String name : List.of("no-length", "no-metadata")) {
      String log = "vod-probe-" + name;
      Ffmpeg.awaitSuccess(log, Ffmpeg.startProbe(log, List.of("-v", "error", "-show_entries", "format=duration",
          "-of", "csv=p=0", url(NODE, name))), 30);
      // The last tag's timestamp: within the last frame of the six seconds.
      assertThat(Double.parseDouble(Ffmpeg.logTail(log).strip())).as(name).isBetween(SECONDS - 0.1, (double) SECONDS);
    }
  }

  @Test
  void ffmpegPlaysAnMp4FileFrameForFrameAndSeesItsLength() throws Exception {
    FrameHashes published = movieMp4("movie.mp4", false);
    Path hashes = Clients.output("vod-mp4.framemd5");
    // ffmpeg plays rtmp://host/vod/movie.mp4 as "mp4:movie.mp4", as nginx-rtmp users write it.
    Ffmpeg.awaitSuccess("vod-mp4", Clients.playToHashes("vod-mp4", url(NODE, "movie.mp4"), hashes), 30);
    FrameHashes received = FrameHashes.parse(hashes);
    assertThat(received.video()).as("video").isEqualTo(published.video());
    assertThat(received.audio()).as("audio").isEqualTo(published.audio());
    Ffmpeg.awaitSuccess("vod-mp4-probe", Ffmpeg.startProbe("vod-mp4-probe", List.of("-v", "error", "-show_entries",
        "format=duration", "-of", "csv=p=0", url(NODE, "movie.mp4"))), 30);
    assertThat(Double.parseDouble(Ffmpeg.logTail("vod-mp4-probe").strip())).isBetween(SECONDS - 0.1, SECONDS + 0.1);
  }

  @Test
  void ffmpegPlaysAFragmentedMp4WhoseFirstFragmentIsInItsMoovFrameForFrame() throws Exception {
    // ffmpeg's frag_keyframe without empty_moov: the first second's samples in the moov's tables, the rest in
    // moofs. Only the first second played before.
    FrameHashes published = movieMp4("fragments.mp4", "frag_keyframe");
    Path hashes = Clients.output("vod-mp4-fragments.framemd5");
    Ffmpeg.awaitSuccess("vod-mp4-fragments", Clients.playToHashes("vod-mp4-fragments", url(NODE, "fragments.mp4"),
        hashes), 30);
    FrameHashes received = FrameHashes.parse(hashes);
    assertThat(received.video()).as("video").hasSize(SECONDS * GOP_FRAMES).isEqualTo(published.video());
    assertThat(received.audio()).as("audio").isEqualTo(published.audio());
  }

  @Test
  void rtmpdumpDownloadsAnMp4FileWithItsIndexFirstAsFlv() throws Exception {
    FrameHashes published = movieMp4("faststart.mp4", true);
    Path saved = Clients.output("vod-mp4-rtmpdump.flv");
    Files.deleteIfExists(saved);
    Process rtmpdump = processes.own(new ProcessBuilder("rtmpdump", "-r", "rtmp://127.0.0.1:" + NODE.rtmpPort()
        + "/vod", "-y", "mp4:faststart.mp4", "-o", saved.toString())
        .redirectErrorStream(true)
        .redirectOutput(Clients.output("vod-mp4-rtmpdump.log").toFile())
        .start());
    assertThat(rtmpdump.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended by itself").isTrue();
    FrameHashes received = FrameHashes.ofFile(saved);
    assertThat(received.video()).as("video").isEqualTo(published.video());
    assertThat(received.audio()).as("audio").isEqualTo(published.audio());
  }

  @Test
  void ffmpegSeeksInAnMp4FileToTheKeyframeBeforeItsStart() throws Exception {
    FrameHashes published = movieMp4("movie.mp4", false);
    Path hashes = Clients.output("vod-mp4-seek.framemd5");
    Ffmpeg.awaitSuccess("vod-mp4-seek", Ffmpeg.start("vod-mp4-seek", List.of("-ss", "3", "-i",
        url(NODE, "movie.mp4"), "-map", "0", "-c", "copy", "-f", "framemd5", "-y", hashes.toString())), 30);
    assertStartsAtAKeyframeAfterTheStart("ffmpeg -ss 3, MP4", published, FrameHashes.parse(hashes));
  }

  @Test
  void ffmpegSeeksInAnMp4FileOverHttpByRangeAsNginxServesIt() throws Exception {
    FrameHashes published = movieMp4("movie.mp4", false);
    String url = NODE.httpUrl("/vod/movie.mp4");
    Ffmpeg.awaitSuccess("vod-http-probe", Ffmpeg.startProbe("vod-http-probe", List.of("-v", "error",
        "-show_entries", "format=duration", "-of", "csv=p=0", url)), 30);
    assertThat(Double.parseDouble(Ffmpeg.logTail("vod-http-probe").strip())).isBetween(SECONDS - 0.1, SECONDS + 0.1);
    // -ss before -i on HTTP: ffmpeg reads the index at the file's end and jumps by Range requests.
    Path hashes = Clients.output("vod-http-seek.framemd5");
    Ffmpeg.awaitSuccess("vod-http-seek", Ffmpeg.start("vod-http-seek", List.of("-ss", "3", "-i", url, "-map", "0",
        "-c", "copy", "-f", "framemd5", "-y", hashes.toString())), 30);
    FrameHashes received = FrameHashes.parse(hashes);
    int first = FrameHashes.assertContiguous("video over HTTP from 3 s", published.video(), received.video());
    assertThat(first).as("from a keyframe after the start").isPositive();
    assertThat(first + received.video().size()).isEqualTo(published.video().size());
  }

  @Test
  void overHttpAFileAnswersRangesAndNothingButMediaFilesOfTheDirectoryIsServed() throws Exception {
    movieMp4("movie.mp4", false);
    byte[] file = Files.readAllBytes(FILES.resolve("movie.mp4"));
    HttpResponse<byte[]> part = Http.getBytes(NODE.httpUrl("/vod/movie.mp4"), "Range", "bytes=1000-1999");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + file.length);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));
    HttpResponse<byte[]> whole = Http.getBytes(NODE.httpUrl("/vod/movie.flv"));
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/x-flv");
    assertThat(whole.body()).isEqualTo(Files.readAllBytes(FILES.resolve("movie.flv")));
    Files.writeString(FILES.resolve("notes.txt"), "not media");
    for (String path : List.of("/vod/notes.txt", "/vod/absent.mp4", "/vod/", "/vod/sub/movie.mp4",
        "/vod/..%2F..%2Fpom.xml", "/vod/%2e%2e/vod-files/movie.mp4")) {
      assertThat(Http.status(NODE.httpUrl(path))).as(path).isEqualTo(404);
    }
  }

  @Test
  void aRecordingInFragmentedMp4PlaysBackFrameForFrame() throws Exception {
    Path media = TestMedia.audioVideo(SECONDS, 1);
    Path recordings = Path.of("target", "test-out", "vod-recordings-" + ProcessHandle.current().pid())
        .toAbsolutePath();
    try (TestNode node = TestNode.start("--record.apps=live", "--record.format=fmp4",
        "--record.path=" + recordings, "--vod.apps=rec=" + recordings.resolve("live"))) {
      try (LogLines log = LogLines.capture()) {
        Ffmpeg.awaitSuccess("vod-record", processes.own(Clients.publish("vod-record", media,
            node.rtmpUrl("cam1"))), 60);
        log.await("record done stream=live/cam1 ", Duration.ofSeconds(10));
      }
      List<Path> files = RecordedFiles.in(recordings);
      assertThat(files).hasSize(1);
      String name = files.get(0).getFileName().toString();
      assertThat(name).endsWith(".mp4");
      FrameHashes recorded = FrameHashes.ofFile(files.get(0));
      Path hashes = Clients.output("vod-fmp4.framemd5");
      // As ffplay rtmp://host/rec/<name>.mp4 plays it: the recording of app live in app rec.
      Ffmpeg.awaitSuccess("vod-fmp4", Clients.playToHashes("vod-fmp4", "rtmp://127.0.0.1:" + node.rtmpPort()
          + "/rec/" + name, hashes), 30);
      FrameHashes received = FrameHashes.parse(hashes);
      assertThat(received.video()).as("video").isEqualTo(recorded.video()).hasSizeGreaterThan(SECONDS * 25 - 5);
      assertThat(received.audio()).as("audio").isEqualTo(recorded.audio());
    }
  }

  @Test
  void aNameWithoutAFileAndABrokenFileFailOnlyTheirPlay() throws Exception {
    FrameHashes published = movie();
    byte[] broken = new byte[4096];
    System.arraycopy("FLV".getBytes(StandardCharsets.US_ASCII), 0, broken, 0, 3);
    broken[3] = 1;
    broken[8] = 9;
    // After the header, a tag of type 9 announcing 16 MB: above rtmp.max-message-size.
    broken[13] = 9;
    broken[14] = (byte) 0xFF;
    broken[15] = (byte) 0xFF;
    broken[16] = (byte) 0xFF;
    Files.write(FILES.resolve("broken.flv"), broken);
    // An MP4 cut in its index: ftyp, then a moov box announcing 1 MB of which 8 bytes are there.
    ByteBuffer cut = ByteBuffer.allocate(40);
    cut.putInt(16).put("ftypisom".getBytes(StandardCharsets.US_ASCII)).putInt(0x200).putInt(1 << 20)
        .put("moov".getBytes(StandardCharsets.US_ASCII)).putInt(8).put("mvhd".getBytes(StandardCharsets.US_ASCII));
    Files.write(FILES.resolve("cut.mp4"), Arrays.copyOf(cut.array(), cut.position()));
    Path hashes = Clients.output("vod-still.framemd5");
    Process missing = Ffmpeg.start("vod-missing", List.of("-i", url(NODE, "nothing"), "-f", "null", "-"));
    Process bad = Ffmpeg.start("vod-broken", List.of("-i", url(NODE, "broken"), "-f", "null", "-"));
    Process badMp4 = Ffmpeg.start("vod-cut-mp4", List.of("-i", url(NODE, "cut.mp4"), "-f", "null", "-"));
    Process good = Clients.playToHashes("vod-still", url(NODE, "movie"), hashes);
    assertThat(missing.waitFor(15, TimeUnit.SECONDS)).as("ffmpeg gave up on a missing file").isTrue();
    assertThat(missing.exitValue()).as("ffmpeg's exit for a missing file").isNotZero();
    assertThat(Ffmpeg.logTail("vod-missing")).contains("No such file");
    assertThat(bad.waitFor(15, TimeUnit.SECONDS)).as("ffmpeg gave up on a broken file").isTrue();
    assertThat(badMp4.waitFor(15, TimeUnit.SECONDS)).as("ffmpeg gave up on a cut MP4").isTrue();
    assertThat(badMp4.exitValue()).isNotZero();
    assertThat(Ffmpeg.logTail("vod-cut-mp4")).contains("Cannot play cut.mp4");
    Ffmpeg.awaitSuccess("vod-still", good, 30);
    FrameHashes received = FrameHashes.parse(hashes);
    assertThat(received.video()).as("the good file's video, beside the bad plays").isEqualTo(published.video());
  }

  @Test
  void aPlayBeyondMaxSessionsIsRefusedWhileTheOthersPlayOn() throws Exception {
    FrameHashes published = movie();
    Path hashes = Clients.output("vod-first.framemd5");
    try (TestNode node = node("--vod.max-sessions=1")) {
      Process first = Clients.playToHashes("vod-first", url(node, "movie"), hashes);
      awaitPlaying(node, first);
      assertThat(node.scrape().value("streamedge_vod_plays")).as("plays counted").isEqualTo(1.0);
      Process second = Ffmpeg.start("vod-second", List.of("-i", url(node, "movie"), "-f", "null", "-"));
      assertThat(second.waitFor(15, TimeUnit.SECONDS)).as("the second play refused").isTrue();
      assertThat(second.exitValue()).isNotZero();
      assertThat(Ffmpeg.logTail("vod-second")).contains("Too many files playing");
      Ffmpeg.awaitSuccess("vod-first", first, 30);
      // The place is given back when a play ends.
      Ffmpeg.awaitSuccess("vod-third", Ffmpeg.start("vod-third", List.of("-i", url(node, "movie"), "-f", "null",
          "-")), 30);
      assertThat(node.scrape().value("streamedge_vod_plays")).as("every place given back").isZero();
    }
    assertThat(FrameHashes.parse(hashes).video()).isEqualTo(published.video());
  }

  /** Until the node's client list shows {@code player}'s play (it holds the only place). */
  private static void awaitPlaying(TestNode node, Process player) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (new JsonObject(Http.get(node.httpUrl("/api/v1/clients")).body()).getJsonArray("clients").stream()
        .map(JsonObject.class::cast)
        .noneMatch(client -> "player".equals(client.getString("role")) && client.getJsonObject("stream") != null
            && "vod".equals(client.getJsonObject("stream").getString("app")))) {
      assertThat(player.isAlive()).as("the first player runs").isTrue();
      assertThat(System.nanoTime()).as("the first play seen in time").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
