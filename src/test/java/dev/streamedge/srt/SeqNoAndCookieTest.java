package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** 31-bit sequence arithmetic across the wrap, and the SYN cookie's buckets. */
@Tag("unit")
class SeqNoAndCookieTest {

  @Test
  void sequenceNumbersWrapAt31Bits() {
    assertThat(SeqNo.next(SeqNo.MAX)).isZero();
    assertThat(SeqNo.add(5, -6)).isEqualTo(SeqNo.MAX);
    assertThat(SeqNo.offset(SeqNo.MAX, 0)).isEqualTo(1);
    assertThat(SeqNo.offset(0, SeqNo.MAX)).isEqualTo(-1);
    assertThat(SeqNo.offset(SeqNo.MAX - 9, 10)).isEqualTo(20);
    assertThat(SeqNo.offset(0, 1 << 30)).isEqualTo(-(1 << 30));
    assertThat(SeqNo.offset(0, (1 << 30) - 1)).isEqualTo((1 << 30) - 1);
    assertThat(SeqNo.compare(SeqNo.MAX, 0)).isNegative();
    assertThat(SeqNo.compare(3, 3)).isZero();
    assertThat(new SeqRange(SeqNo.MAX - 1, 1).count()).isEqualTo(4);
    assertThatThrownBy(() -> new SeqRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cookieIsValidInItsBucketAndTheNextOnly() {
    SynCookie cookies = new SynCookie("0123456789abcdef".getBytes(), 60_000_000L);
    byte[] address = {(byte) 192, (byte) 168, 1, 20};
    int cookie = cookies.make(address, 40000, 59_000_000L);

    assertThat(cookies.isValid(cookie, address, 40000, 59_999_999L)).isTrue();
    assertThat(cookies.isValid(cookie, address, 40000, 119_999_999L)).isTrue();
    assertThat(cookies.isValid(cookie, address, 40000, 120_000_000L)).isFalse();
    assertThat(cookies.isValid(cookie, address, 40001, 59_000_000L)).isFalse();
    assertThat(cookies.isValid(cookie, new byte[] {(byte) 192, (byte) 168, 1, 21}, 40000,
        59_000_000L)).isFalse();
    assertThat(new SynCookie("fedcba9876543210".getBytes(), 60_000_000L)
        .isValid(cookie, address, 40000, 59_000_000L)).as("another secret").isFalse();
  }
}
