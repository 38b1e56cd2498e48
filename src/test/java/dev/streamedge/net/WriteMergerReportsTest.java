package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a merger tells the connection's byte metrics: media bytes in reports of at least
 * {@link WriteMerger#REPORT_EVERY} (one counter shared by every event loop, not touched per flush), and the
 * rest when the channel closes, so that the count is whole.
 */
@Tag("unit")
class WriteMergerReportsTest {

  private final List<Long> reports = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final WriteMerger merger;

  WriteMergerReportsTest() {
    channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter());
    merger = WriteMerger.installBefore(channel.pipeline(), "handler", () -> { }, null, null, reports::add);
  }

  @Test
  void flushesReportNothingUntilTheirBytesReachTheStep() {
    long step = WriteMerger.REPORT_EVERY;
    long written = 0;
    while (written + 1000 < step) {
      writeAndFlush(1000);
      written += 1000;
    }
    assertThat(reports).isEmpty();

    writeAndFlush(1000);
    assertThat(reports).containsExactly(written + 1000);
    assertThat(outboundBytes()).isEqualTo(written + 1000);
  }

  @Test
  void theCloseReportsWhatIsLeft() {
    writeAndFlush(WriteMerger.REPORT_EVERY + 10);
    writeAndFlush(700);
    writeAndFlush(300);

    channel.close();

    assertThat(reports).containsExactly(WriteMerger.REPORT_EVERY + 10, 1000L);
  }

  @Test
  void aRemovedMergerReportsWhatIsLeft() {
    writeAndFlush(500);

    channel.pipeline().remove(merger);

    assertThat(reports).containsExactly(500L);
  }

  private void writeAndFlush(long bytes) {
    ByteBuf data = Unpooled.wrappedBuffer(new byte[(int) bytes]);
    channel.eventLoop().execute(() -> merger.write(data));
    // The write, then the flush it queued for the end of the turn.
    channel.runPendingTasks();
    channel.runPendingTasks();
  }

  private long outboundBytes() {
    long total = 0;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      total += out.readableBytes();
      out.release();
    }
    return total;
  }
}
