package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MPEG-TS segments go out of a file with {@code sendfile(2)} ({@code hls.segment-files}): each is written
 * once, unlinked, and held open while it is kept or sent; HEAD, ranges and a directory that cannot be
 * used still work, from memory where they must.
 */
@Tag("e2e")
class HlsSegmentFilesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern URI = Pattern.compile("#EXTINF:[0-9.]+,\\s*\\n(\\S+)");
  private static final byte SYNC = 0x47;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @TempDir
  Path directory;

  @Test
  void segmentsGoOutOfTheirFilesWhichCloseWhenThePackagingStops() throws Exception {
    try (TestNode node = TestNode.start("--hls.target-duration=1s", "--hls.playlist-length=3",
        "--hls.kept-segments=1", "--hls.variant=mpegts", "--hls.idle-timeout=3s",
        "--hls.segment-files=" + directory)) {
      Process publisher = processes.own(Clients.publish("hls-files-publisher", TestMedia.audioVideo(8, 1),
          node.rtmpUrl("files")));
      node.awaitPublisher("files");
      // While the stream runs, the files are those of the window: 3 listed and 1 kept, a write or two
      // on the way at most; looked at every 300 ms until the publisher is done.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!publisher.waitFor(300, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
        assertThat(openSegmentFiles().size()).as("segment files open while publishing").isLessThanOrEqualTo(6);
      }
      Ffmpeg.awaitSuccess("hls-files-publisher", publisher, 30);
      Await.until("the last segment's file", WAIT, () -> openSegmentFiles().size() >= 4);
      // The last segment's file is unlinked once its write is done, which under load may trail its opening.
      Await.until("files unlinked once written", WAIT, () -> {
        try (Stream<Path> files = Files.list(directory)) {
          return files.findAny().isEmpty();
        }
      });

      String playlist = Http.get(node.httpUrl("/hls/files.m3u8")).body();
      List<String> urls = new ArrayList<>();
      for (Matcher m = URI.matcher(playlist); m.find(); ) {
        urls.add(node.httpUrl("/hls/" + m.group(1)));
      }
      assertThat(urls).hasSize(3);
      List<byte[]> before = new ArrayList<>();
      for (String url : urls) {
        byte[] data = Http.getBytes(url).body();
        assertThat(data.length % 188).isZero();
        assertThat(data[0]).isEqualTo(SYNC);
        before.add(data);
      }

      // Marking each file's first byte through /proc shows which answers came from the files.
      for (Path file : openSegmentFiles()) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.write(ByteBuffer.wrap("X".getBytes(StandardCharsets.US_ASCII)), 0);
        }
      }
      for (int i = 0; i < urls.size(); i++) {
        byte[] data = Http.getBytes(urls.get(i)).body();
        assertThat(data[0]).as("segment %s from its file", urls.get(i)).isEqualTo((byte) 'X');
        assertThat(Arrays.copyOfRange(data, 1, data.length)).isEqualTo(Arrays.copyOfRange(before.get(i), 1,
            before.get(i).length));
        var range = Http.getBytes(urls.get(i), "Range", "bytes=0-375");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 0-375/" + data.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(data, 0, 376));
        assertThat(Http.getBytes(urls.get(i), "Range", "bytes=" + data.length + "-").statusCode()).isEqualTo(416);
      }

      // The publisher has gone: after hls.idle-timeout the packaging stops and every file is closed.
      Await.until("every segment file closed", WAIT, () -> openSegmentFiles().isEmpty());
    }
  }

  @Test
  void aDirectoryThatCannotBeUsedIsLoggedAndSegmentsComeFromMemory() throws Exception {
    Path missing = directory.resolve("missing");
    try (LogLines logs = LogLines.capture();
        TestNode node = TestNode.start("--hls.target-duration=1s", "--hls.variant=mpegts",
            "--hls.segment-files=" + missing)) {
      assertThat(logs.contains("hls.segment-files .*missing is not a writable directory")).isTrue();
      processes.own(Clients.publish("hls-nofiles-publisher", TestMedia.audioVideo(8, 1), node.rtmpUrl("nofiles")));
      node.awaitPublisher("nofiles");
      Await.until("a segment listed", WAIT, () -> URI.matcher(Http.get(node.httpUrl("/hls/nofiles.m3u8")).body()).find());
      Matcher m = URI.matcher(Http.get(node.httpUrl("/hls/nofiles.m3u8")).body());
      assertThat(m.find()).isTrue();
      byte[] data = Http.getBytes(node.httpUrl("/hls/" + m.group(1))).body();
      assertThat(data.length % 188).isZero();
      assertThat(data[0]).isEqualTo(SYNC);
      assertThat(Files.exists(missing)).isFalse();
    }
  }

  /** This JVM's open files that were in {@link #directory}: /proc/self/fd links, "(deleted)" once unlinked. */
  private List<Path> openSegmentFiles() throws IOException {
    String prefix = directory.toString() + "/streamedge-segment-";
    List<Path> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith(prefix)) {
            open.add(fd);
          }
        } catch (IOException gone) {
          // Closed while listed.
        }
      }
    }
    return open;
  }
}
