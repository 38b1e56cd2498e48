package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A segment's file closes once, when the window and every send have let go, and never while one holds it. */
@Tag("unit")
class SegmentFileTest {

  @TempDir
  Path directory;

  private final List<FileChannel> closed = new ArrayList<>();

  private FileChannel channel() throws Exception {
    return FileChannel.open(directory.resolve("segment.ts"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  @Test
  void theFileClosesWhenTheLastSendEndsAfterTheWindowLetGo() throws Exception {
    SegmentFile file = new SegmentFile();
    assertThat(file.retain()).as("nothing to send before the file is written").isNull();
    FileChannel channel = channel();
    file.ready(channel, closed::add);
    assertThat(file.retain()).isSameAs(channel);
    assertThat(file.retain()).isSameAs(channel);
    file.release();
    assertThat(closed).as("the window still holds it").isEmpty();
    file.release();
    assertThat(closed).as("one send still holds it").isEmpty();
    // A request that found the segment in an older snapshot may still send the file while it is open.
    assertThat(file.retain()).isSameAs(channel);
    file.release();
    assertThat(closed).isEmpty();
    file.release();
    assertThat(closed).containsExactly(channel);
    assertThat(file.retain()).as("a send after the file closed is refused").isNull();
    file.release();
    assertThat(closed).as("closed once").hasSize(1);
    channel.close();
  }

  @Test
  void aFileWrittenAfterTheWindowLetGoClosesAtOnce() throws Exception {
    SegmentFile file = new SegmentFile();
    file.release();
    FileChannel channel = channel();
    file.ready(channel, closed::add);
    assertThat(closed).containsExactly(channel);
    assertThat(file.retain()).isNull();
    channel.close();
  }
}
