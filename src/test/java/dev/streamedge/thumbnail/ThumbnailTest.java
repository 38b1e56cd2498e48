package dev.streamedge.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A live stream's thumbnail as the API serves it ({@code /api/v1/streams/<app>/<key>/thumbnail.jpg}): a JPEG of
 * {@code thumbnail.width} pixels that is one of the stream's keyframes (compared with ffmpeg's own decoding of
 * the published file), made once per {@code thumbnail.max-age} however many ask; H.265 with an ffmpeg that reads
 * Enhanced RTMP; while ffmpeg is busy, a stream's older picture rather than a refusal; refusals with their
 * statuses: not live, audio only, a bad name, an ffmpeg that fails (502), one that hangs (504, and it is killed),
 * more at once than {@code thumbnail.max-processes} (503).
 */
@Tag("e2e")
class ThumbnailTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  /** An ffmpeg that notes each run in {@code runs} and then is Debian's. */
  private static Path countingFfmpeg(Path dir) throws Exception {
    return script(dir.resolve("ffmpeg-counting"), "echo run >> " + dir.resolve("runs") + "\nexec "
        + Ffmpeg.DEBIAN_FFMPEG + " \"$@\"");
  }

  private static Path script(Path file, String body) throws Exception {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void aLiveStreamsThumbnailIsOneOfItsKeyframesMadeOncePerMaxAge() throws Exception {
    Path dir = Files.createTempDirectory("thumbnail");
    Path media = TestMedia.audioVideo(6, 1);
    try (TestNode node = TestNode.start("--transcode.ffmpeg=" + countingFfmpeg(dir), "--thumbnail.width=160",
        "--thumbnail.max-age=30s")) {
      processes.own(Clients.publishLooping("thumb-publisher", media, node.rtmpUrl("thumb")));
      node.awaitPublisher("thumb");
      String url = node.httpUrl("/api/v1/streams/live/thumb/thumbnail.jpg");
      List<CompletableFuture<HttpResponse<byte[]>>> asked = List.of(
          Http.sendAsync(Http.request(url), HttpResponse.BodyHandlers.ofByteArray()),
          Http.sendAsync(Http.request(url), HttpResponse.BodyHandlers.ofByteArray()),
          Http.sendAsync(Http.request(url), HttpResponse.BodyHandlers.ofByteArray()));
      HttpResponse<byte[]> first = asked.get(0).get(15, TimeUnit.SECONDS);
      assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type")).contains("image/jpeg");
      assertThat(first.headers().firstValue("Cache-Control")).contains("private, max-age=30");
      for (CompletableFuture<HttpResponse<byte[]>> other : asked) {
        assertThat(other.get(15, TimeUnit.SECONDS).body()).as("the same picture for requests at once").isEqualTo(first.body());
      }
      assertThat(Http.getBytes(url).body()).as("the same picture within max-age").isEqualTo(first.body());
      assertThat(Files.readAllLines(dir.resolve("runs"))).as("ffmpeg runs").hasSize(1);
      assertThat(node.scrape().value("streamedge_thumbnails_made_total")).isEqualTo(1);
      assertThat(node.scrape().value("streamedge_thumbnails_served_total")).isEqualTo(4);

      Path jpeg = dir.resolve("thumb.jpg");
      Files.write(jpeg, first.body());
      assertThat(probe(jpeg)).isEqualTo("mjpeg,160,90");
      // The picture is one of the file's keyframes (testsrc2's moving parts tell them apart; JPEG's loss does not).
      byte[] thumb = gray(jpeg.toString(), false);
      byte[] keyframes = gray(media.toString(), true);
      double nearest = Double.MAX_VALUE;
      double farthest = 0;
      for (int at = 0; at + thumb.length <= keyframes.length; at += thumb.length) {
        double difference = meanDifference(thumb, keyframes, at);
        nearest = Math.min(nearest, difference);
        farthest = Math.max(farthest, difference);
      }
      assertThat(nearest).as("mean difference to the nearest keyframe").isLessThan(3);
      assertThat(farthest).as("to the farthest: the comparison can tell pictures apart").isGreaterThan(2 * nearest);
    }
  }

  @Test
  void anHevcStreamsThumbnailComesFromAnFfmpegThatReadsEnhancedRtmp() throws Exception {
    try (TestNode node = TestNode.start("--transcode.ffmpeg=" + Ffmpeg.ffmpegPath())) {
      processes.own(Clients.publishLooping("thumb-hevc-publisher", TestMedia.enhanced("hevc", "aac", 6),
          node.rtmpUrl("thumb-hevc")));
      node.awaitPublisher("thumb-hevc");
      HttpResponse<byte[]> answer = Http.getBytes(node.httpUrl("/api/v1/streams/live/thumb-hevc/thumbnail.jpg"));
      assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
      Path jpeg = Files.createTempFile("thumb-hevc", ".jpg");
      Files.write(jpeg, answer.body());
      assertThat(probe(jpeg)).isEqualTo("mjpeg,320,240");
    }
  }

  @Test
  void whileFfmpegIsBusyAStreamGetsItsOlderPictureRatherThanARefusal() throws Exception {
    Path dir = Files.createTempDirectory("thumbnail-stale");
    // Debian's ffmpeg, or a hang once the test says so.
    Path ffmpeg = script(dir.resolve("ffmpeg-switch"), "[ -e " + dir.resolve("hang") + " ] && exec sleep 60\nexec "
        + Ffmpeg.DEBIAN_FFMPEG + " \"$@\"");
    try (TestNode node = TestNode.start("--transcode.ffmpeg=" + ffmpeg, "--thumbnail.max-age=1s",
        "--thumbnail.max-processes=1", "--thumbnail.timeout=6s")) {
      processes.own(Clients.publishLooping("stale-a", TestMedia.audioVideo(6, 1), node.rtmpUrl("stale-a")));
      processes.own(Clients.publishLooping("stale-b", TestMedia.audioVideo(6, 1), node.rtmpUrl("stale-b")));
      node.awaitPublisher("stale-a");
      node.awaitPublisher("stale-b");
      HttpResponse<byte[]> first = Http.getBytes(node.httpUrl("/api/v1/streams/live/stale-a/thumbnail.jpg"));
      assertThat(first.statusCode()).isEqualTo(200);
      Thread.sleep(1_200); // past max-age
      Files.createFile(dir.resolve("hang"));
      CompletableFuture<HttpResponse<String>> hung = Http.sendAsync(
          Http.request(node.httpUrl("/api/v1/streams/live/stale-b/thumbnail.jpg")), HttpResponse.BodyHandlers.ofString());
      Await.until("stream b's ffmpeg running", Duration.ofSeconds(4), () -> ProcessHandle.current().descendants()
          .anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 60")));
      HttpResponse<byte[]> stale = Http.getBytes(node.httpUrl("/api/v1/streams/live/stale-a/thumbnail.jpg"));
      assertThat(stale.statusCode()).isEqualTo(200);
      assertThat(stale.body()).as("the older picture").isEqualTo(first.body());
      assertThat(hung.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    }
  }

  /**
   * Closing a node while ffmpeg makes a picture waits for it: the request is answered, and no job finishes after
   * the node's Vert.x has closed (which raised "event executor terminated" on a thumbnail thread, CI26).
   */
  @Test
  void aNodeClosedWhileAPictureIsBeingMadeAnswersItAndLeavesNoThreadBehind() throws Exception {
    Path dir = Files.createTempDirectory("thumbnail-close");
    Path ffmpeg = script(dir.resolve("ffmpeg-slow"), "echo run >> " + dir.resolve("runs") + "\nsleep 1.5\nexec "
        + Ffmpeg.DEBIAN_FFMPEG + " \"$@\"");
    List<String> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(thread.getName() + ": " + e));
    try {
      CompletableFuture<HttpResponse<byte[]>> asked;
      try (TestNode node = TestNode.start("--transcode.ffmpeg=" + ffmpeg)) {
        processes.own(Clients.publishLooping("close-publisher", TestMedia.audioVideo(6, 1), node.rtmpUrl("close")));
        node.awaitPublisher("close");
        String url = node.httpUrl("/api/v1/streams/live/close/thumbnail.jpg");
        asked = Http.sendAsync(Http.request(url), HttpResponse.BodyHandlers.ofByteArray());
        Await.until("ffmpeg started", Duration.ofSeconds(10), () -> Files.exists(dir.resolve("runs")));
        long closing = System.nanoTime();
        node.close();
        System.out.println("node closed " + (System.nanoTime() - closing) / 1_000_000 + " ms after a picture began");
      }
      HttpResponse<byte[]> answer = asked.get(5, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
      assertThat(answer.body()).as("a JPEG").startsWith((byte) 0xFF, (byte) 0xD8);
      // A thread's uncaught exception reaches the handler before the thread ends: once none is left, none can come.
      Await.until("no thumbnail thread left", Duration.ofSeconds(5), () -> Thread.getAllStackTraces().keySet()
          .stream().noneMatch(t -> t.getName().startsWith("streamedge-thumbnail")));
      assertThat(uncaught).as("exceptions no thread caught").isEmpty();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  @Test
  void refusalsSayWhy() throws Exception {
    Path dir = Files.createTempDirectory("thumbnail-refusals");
    Path hanging = script(dir.resolve("ffmpeg-hanging"), "echo $$ > " + dir.resolve("pid") + "\nexec sleep 60");
    try (TestNode node = TestNode.start("--transcode.ffmpeg=" + hanging, "--thumbnail.timeout=3s",
        "--thumbnail.max-processes=1")) {
      assertThat(Http.get(node.httpUrl("/api/v1/streams/live/nobody/thumbnail.jpg")).statusCode()).isEqualTo(404);
      assertThat(Http.get(node.httpUrl("/api/v1/streams/live/a%20b/thumbnail.jpg")).statusCode()).isEqualTo(400);

      processes.own(Clients.publishLooping("thumb-audio", TestMedia.audioOnly(6), node.rtmpUrl("thumb-audio")));
      node.awaitPublisher("thumb-audio");
      Await.until("the audio-only stream's codec known", Duration.ofSeconds(10), () -> new JsonObject(
          Http.get(node.httpUrl("/api/v1/streams/live/thumb-audio")).body()).getJsonObject("audio") != null);
      HttpResponse<String> audioOnly = Http.get(node.httpUrl("/api/v1/streams/live/thumb-audio/thumbnail.jpg"));
      assertThat(audioOnly.statusCode()).isEqualTo(404);
      assertThat(audioOnly.body()).contains("has no video");

      processes.own(Clients.publishLooping("thumb-a", TestMedia.audioVideo(6, 1), node.rtmpUrl("thumb-a")));
      processes.own(Clients.publishLooping("thumb-b", TestMedia.audioVideo(6, 1), node.rtmpUrl("thumb-b")));
      node.awaitPublisher("thumb-a");
      node.awaitPublisher("thumb-b");
      long start = System.nanoTime();
      CompletableFuture<HttpResponse<String>> hung = Http.sendAsync(
          Http.request(node.httpUrl("/api/v1/streams/live/thumb-a/thumbnail.jpg")), HttpResponse.BodyHandlers.ofString());
      Await.until("the hanging ffmpeg started", Duration.ofSeconds(5), () -> Files.exists(dir.resolve("pid")));
      HttpResponse<String> busy = Http.get(node.httpUrl("/api/v1/streams/live/thumb-b/thumbnail.jpg"));
      assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
      assertThat(busy.headers().firstValue("Retry-After")).contains("1");

      HttpResponse<String> late = hung.get(10, TimeUnit.SECONDS);
      assertThat(late.statusCode()).as(late.body()).isEqualTo(504);
      assertThat(late.body()).contains("thumbnail.timeout");
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms to the 504").isBetween(2_500L, 5_500L);
      long pid = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
      Await.until("the hanging ffmpeg killed", Duration.ofSeconds(3), () -> ProcessHandle.of(pid).isEmpty());
      assertThat(node.scrape().value("streamedge_thumbnails_refused_total")).as("404, 404, 503, 504").isEqualTo(4);
    }
    try (TestNode node = TestNode.start("--transcode.ffmpeg=" + script(dir.resolve("ffmpeg-failing"),
        "echo 'no decoder here' >&2\nexit 3"))) {
      processes.own(Clients.publishLooping("thumb-failing", TestMedia.audioVideo(6, 1), node.rtmpUrl("thumb-failing")));
      node.awaitPublisher("thumb-failing");
      HttpResponse<String> failed = Http.get(node.httpUrl("/api/v1/streams/live/thumb-failing/thumbnail.jpg"));
      assertThat(failed.statusCode()).isEqualTo(502);
      assertThat(failed.body()).contains("ffmpeg exited 3").contains("no decoder here");
    }
  }

  /** codec,width,height of the picture, as ffprobe reads it. */
  private static String probe(Path jpeg) throws Exception {
    Process probe = new ProcessBuilder(Ffmpeg.ffprobePath(), "-v", "error", "-show_entries",
        "stream=codec_name,width,height", "-of", "csv=p=0", jpeg.toString()).redirectErrorStream(true).start();
    String out = new String(probe.getInputStream().readAllBytes()).strip();
    assertThat(probe.waitFor(15, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /** 16x9 grayscale pictures of {@code input} (its keyframes only, when asked), one after the other. */
  private static byte[] gray(String input, boolean keyframesOnly) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Ffmpeg.DEBIAN_FFMPEG, "-v", "error"));
    if (keyframesOnly) {
      command.addAll(List.of("-skip_frame", "nokey"));
    }
    command.addAll(List.of("-i", input, "-map", "0:v", "-vf", "scale=16:9:flags=area,format=gray", "-f", "rawvideo",
        "-"));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out.size()).isPositive();
    return out.toByteArray();
  }

  private static double meanDifference(byte[] picture, byte[] pictures, int at) {
    long sum = 0;
    for (int i = 0; i < picture.length; i++) {
      sum += Math.abs((picture[i] & 0xFF) - (pictures[at + i] & 0xFF));
    }
    return (double) sum / picture.length;
  }
}
