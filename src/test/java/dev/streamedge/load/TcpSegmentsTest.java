package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ss(8)'s TCP_INFO counters, summed over the connections it lists. */
@org.junit.jupiter.api.Tag("unit")
class TcpSegmentsTest {

  @Test
  void sumsTheDataSegmentsAndBytesOfEveryConnectionAndCountsAMissingCounterAsZero() {
    String ss = """
        0      0      127.0.0.1:43722 127.0.0.1:1935
        \t bbr wscale:10,10 rto:208 rtt:0.027/0.013 mss:32768 bytes_acked:1 bytes_received:15000 segs_out:7 segs_in:6 data_segs_in:5 lastrcv:116
        0      0      127.0.0.1:43724 127.0.0.1:1935
        \t bbr wscale:10,10 rto:204 bytes_acked:1 bytes_received:2500 segs_out:3 segs_in:3 data_segs_in:2 data_segs_out:1
        0      0      127.0.0.1:43726 127.0.0.1:1935
        \t bbr wscale:10,10 rto:204 bytes_acked:1 segs_out:1 segs_in:1
        """;
    assertThat(TcpSegments.parse(ss)).isEqualTo(new TcpSegments.Count(7, 17_500));
  }

  @Test
  void aDifferenceOfTwoReadingsIsWhatCameInBetween() {
    assertThat(new TcpSegments.Count(70, 90_000).minus(new TcpSegments.Count(20, 30_000)))
        .isEqualTo(new TcpSegments.Count(50, 60_000));
  }
}
