package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a full ACK reports of the incoming stream: rates over half-second windows, capacity from packet pairs. */
@Tag("unit")
class ReceiveRatesTest {

  @Test
  void ratesAreWhatAHalfSecondWindowHeldPerSecond() {
    ReceiveRates rates = new ReceiveRates();
    for (int i = 0; i < 50; i++) {
      rates.measure(1316, i * 10_000L); // 100 packets a second
    }
    assertThat(rates.packetRate()).as("before the first window closes").isZero();
    rates.measure(0, 500_000);
    assertThat(rates.packetRate()).isEqualTo(100);
    assertThat(rates.byteRate()).isEqualTo(131_600);
    rates.measure(0, 1_000_000);
    assertThat(rates.packetRate()).as("an empty window").isZero();
  }

  @Test
  void capacityComesFromTheGapBetweenPackets16nAnd16nPlus1() {
    ReceiveRates rates = new ReceiveRates();
    rates.probe(32, false, 1_000_000);
    rates.probe(33, false, 1_000_100); // 100 µs apart: 10,000 packets a second
    assertThat(rates.linkCapacity()).isEqualTo(10_000);
    rates.probe(48, false, 2_000_000);
    rates.probe(49, false, 2_000_200); // 5,000: smoothed by 7/8
    assertThat(rates.linkCapacity()).isEqualTo((7 * 10_000 + 5_000) / 8);
    rates.probe(64, false, 3_000_000);
    rates.probe(65, true, 3_000_001); // a resent packet is no pair
    rates.probe(66, false, 3_000_002);
    assertThat(rates.linkCapacity()).isEqualTo((7 * 10_000 + 5_000) / 8);
  }
}
