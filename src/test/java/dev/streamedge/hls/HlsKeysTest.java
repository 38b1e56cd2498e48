package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code hls.keys} in the packager: MPEG-TS segments encrypted as RFC 8216 §4.3.2.4 METHOD=AES-128 and §5.2 say
 * (whole segment, CBC, PKCS#7 padding, the media sequence number as IV), byte for byte as {@code openssl enc}
 * encrypts; keys rotated as nginx-rtmp's {@code hls_fragments_per_key}; an EXT-X-KEY with its IV before each segment.
 */
@Tag("unit")
class HlsKeysTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final HlsKey KEY = new HlsKey(5, Buffer.buffer(HEX.parseHex("000102030405060708090a0b0c0d0e0f")));

  @Test
  void aSegmentIsEncryptedAsOpensslEncryptsItWithItsSequenceNumberAsIv() {
    SegmentKeys keys = new SegmentKeys(0);
    byte[] plain = new byte[40];
    plain[0] = 0x47;
    for (int i = 1; i < plain.length; i++) {
      plain[i] = (byte) i;
    }
    ByteBuf in = Unpooled.wrappedBuffer(plain);
    // printf ... | openssl enc -aes-128-cbc -K 000102030405060708090a0b0c0d0e0f -iv 000...05 | xxd -p
    assertThat(hex(keys.encrypt(in, KEY, 5))).isEqualTo("c3c4a5ad3f2ee81346dbc340e4095be8"
        + "a9d3fbca85c1c47c64a959c7e1c4531a73fbf04d7a641f577aa8790e4bfea685");
    assertThat(in.readableBytes()).as("the plain segment is left as it was").isEqualTo(40);
    byte[] block = new byte[32];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) i;
    }
    // A whole number of blocks gets a whole block of padding (PKCS#7); sequence 255 as IV (-iv 000...ff).
    assertThat(hex(keys.encrypt(Unpooled.wrappedBuffer(block), KEY, 255))).isEqualTo(
        "44f8efd7d7ee20794aa332598a8258240b75c24618a0ca6fc29559b2c53ca014ddb004baffd9bcea2fc6c2e77bf76df6");
  }

  @Test
  void whatAPlayerDecryptsWithTheKeyAndTheSequenceIsTheSegment() throws Exception {
    SegmentKeys keys = new SegmentKeys(0);
    byte[] segment = new byte[188 * 700 + 13];
    new java.util.Random(8216).nextBytes(segment);
    HlsKey key = keys.keyFor(1_234_567_890_123L);
    Buffer encrypted = keys.encrypt(Unpooled.wrappedBuffer(segment), key, 1_234_567_890_123L);
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.bytes().getBytes(), "AES"),
        new IvParameterSpec(HEX.parseHex("0000000000000000000001" + "1f71fb04cb")));
    assertThat(cipher.doFinal(encrypted.getBytes())).isEqualTo(segment);
  }

  @Test
  void aNewKeyEveryFragmentsPerKeySegmentsOrOneForAllWithZero() {
    SegmentKeys everyTwo = new SegmentKeys(2);
    List<HlsKey> rotated = List.of(everyTwo.keyFor(10), everyTwo.keyFor(11), everyTwo.keyFor(12),
        everyTwo.keyFor(13), everyTwo.keyFor(14));
    assertThat(rotated).extracting(HlsKey::id).containsExactly(10L, 10L, 12L, 12L, 14L);
    assertThat(rotated.get(0)).isSameAs(rotated.get(1));
    assertThat(rotated.stream().map(k -> hex(k.bytes())).distinct()).as("three different keys").hasSize(3);
    assertThat(rotated).allSatisfy(k -> assertThat(k.bytes().length()).isEqualTo(16));
    SegmentKeys one = new SegmentKeys(0);
    HlsKey first = one.keyFor(1);
    for (long sequence = 2; sequence < 1000; sequence++) {
      assertThat(one.keyFor(sequence)).isSameAs(first);
    }
    assertThat(first.toString()).as("no key bytes in logs").isEqualTo("HlsKey[id=1]");
  }

  @Test
  void theMpegTsPlaylistNamesEachSegmentsKeyAndIvAndFmp4NamesNone() {
    HlsKey a = new HlsKey(7, Buffer.buffer(new byte[16]));
    HlsKey b = new HlsKey(9, Buffer.buffer(new byte[16]));
    List<HlsSegment> segments = List.of(segment(7, a), segment(8, a), segment(9, b), segment(10, null));
    String ts = MediaPlaylist.render(segments, 2, "cam/", HlsVariant.MPEGTS).replaceAll("#EXT-X-PROGRAM-DATE-TIME:.*\n", "");
    assertThat(ts).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:7
        #EXT-X-DISCONTINUITY-SEQUENCE:0
        #EXT-X-KEY:METHOD=AES-128,URI="cam/key-7.key",IV=0x00000000000000000000000000000007
        #EXTINF:2.000,
        cam/7.ts
        #EXT-X-KEY:METHOD=AES-128,URI="cam/key-7.key",IV=0x00000000000000000000000000000008
        #EXTINF:2.000,
        cam/8.ts
        #EXT-X-KEY:METHOD=AES-128,URI="cam/key-9.key",IV=0x00000000000000000000000000000009
        #EXTINF:2.000,
        cam/9.ts
        #EXT-X-KEY:METHOD=NONE
        #EXTINF:2.000,
        cam/10.ts
        """);
    assertThat(MediaPlaylist.render(segments, 2, "cam/", HlsVariant.FMP4)).doesNotContain("EXT-X-KEY");
    // A sequence number past 32 bits, as the wall-clock-based ones are: the IV's 32 hex digits, big-endian.
    assertThat(SegmentKeys.ivHex(17_966_530_591L)).isEqualTo("0000000000000000000000042EE3801F")
        .isEqualToIgnoringCase(HEX.formatHex(SegmentKeys.iv(17_966_530_591L)));
  }

  @Test
  void aKeyIsFoundWhileAKeptSegmentIsEncryptedWithIt() {
    HlsKey a = new HlsKey(7, Buffer.buffer(new byte[16]));
    HlsKey b = new HlsKey(9, Buffer.buffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
    HlsSnapshot snapshot = new HlsSnapshot(() -> { }, List.of(segment(8, a), segment(9, b)), List.of(),
        java.util.Map.of(), 6, 2, null);
    assertThat(snapshot.key(9)).contains(b.bytes());
    assertThat(snapshot.key(7)).contains(a.bytes());
    assertThat(snapshot.key(8)).as("no key has that id").isEmpty();
    HlsSnapshot later = new HlsSnapshot(() -> { }, List.of(segment(9, b)), List.of(), java.util.Map.of(), 6, 2, null);
    assertThat(later.key(7)).as("its last segment left").isEmpty();
  }

  private static HlsSegment segment(long sequence, HlsKey key) {
    return new HlsSegment(sequence, 0, false, 2000, 0, Buffer.buffer("ts" + sequence), Buffer.buffer("m4s"), 1,
        new SegmentFile(), null, key);
  }

  private static String hex(Buffer buffer) {
    return HEX.formatHex(buffer.getBytes());
  }
}
