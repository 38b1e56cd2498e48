package dev.streamedge.srt;

import static dev.streamedge.srt.SrtBytes.buf;
import static dev.streamedge.srt.SrtBytes.encode;
import static dev.streamedge.srt.SrtBytes.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Control and data packets byte for byte (§3.1, §3.2.3-3.2.10), and decode(encode(x)) == x. */
@Tag("unit")
class SrtControlGoldenTest {

  @Test
  void fullAck() throws Exception {
    Ack ack = new Ack(0x01020304, 0x2A3B4C5D, Ack.Form.FULL, 7, 0x00ABCDEF, 100_000, 50_000, 8190,
        1000, 5000, 1_316_000);

    assertGolden(ack, """
        80020000 00000007 01020304 2a3b4c5d
        00abcdef 000186a0 0000c350 00001ffe 000003e8 00001388 001414a0
        """);
    // F=1 type 2 | ACK number 7 | timestamp | dst | last acknowledged + 1 | RTT 100000 us |
    // RTT variance 50000 | available 8190 packets | 1000 packets/s | capacity 5000 | 1316000 B/s
  }

  @Test
  void lightAndSmallAck() throws Exception {
    assertGolden(Ack.light(5, 6, 0x7FFFFFFF), "80020000 00000000 00000005 00000006 7fffffff");
    assertGolden(new Ack(5, 6, Ack.Form.SMALL, 0, 10, 20, 30, 40, 0, 0, 0),
        "80020000 00000000 00000005 00000006 0000000a 00000014 0000001e 00000028");
  }

  @Test
  void udtSixWordAckIsFullWithoutByteRate() throws Exception {
    assertThat(SrtPacket.decode(buf("80020000 00000001 00000000 00000000"
        + " 00000001 00000002 00000003 00000004 00000005 00000006")))
        .isEqualTo(new Ack(0, 0, Ack.Form.FULL, 1, 1, 2, 3, 4, 5, 6, 0));
  }

  @Test
  void nakSingleAndRange() throws Exception {
    assertGolden(new Nak(9, 6, List.of(SeqRange.of(100))), "80030000 00000000 00000009 00000006"
        + " 00000064");
    assertGolden(new Nak(9, 6, List.of(new SeqRange(100, 105), SeqRange.of(0x7FFFFFFF),
        new SeqRange(0x7FFFFFFE, 1))), """
        80030000 00000000 00000009 00000006
        80000064 00000069
        7fffffff
        fffffffe 00000001
        """);
    // range 100..105: first word with the top bit set; single 2^31-1: top bit clear;
    // range across the wrap 2^31-2..1
  }

  @Test
  void keepAliveShutdownAckAckAsLibsrtSendsThem() throws Exception {
    // libsrt pads these with one zero word of control information.
    assertGolden(new SrtPacket.KeepAlive(1, 2), "80010000 00000000 00000001 00000002 00000000");
    assertGolden(new SrtPacket.Shutdown(1, 2), "80050000 00000000 00000001 00000002 00000000");
    assertGolden(new SrtPacket.AckAck(1, 2, 42), "80060000 0000002a 00000001 00000002 00000000");
    assertThat(SrtPacket.decode(buf("80010000 00000000 00000001 00000002")))
        .isEqualTo(new SrtPacket.KeepAlive(1, 2));
  }

  @Test
  void dropRequestPeerErrorAndUnknown() throws Exception {
    assertGolden(new SrtPacket.DropRequest(1, 2, 77, 1000, 1010),
        "80070000 0000004d 00000001 00000002 000003e8 000003f2");
    assertGolden(new SrtPacket.PeerError(1, 2, 4000), "80080000 00000fa0 00000001 00000002 00000000");
    assertGolden(new SrtPacket.UnknownControl(1, 2, 0x7FFF, 3, 0, Bytes.of((byte) 1, (byte) 2)),
        "ffff0003 00000000 00000001 00000002 0102");
  }

  @Test
  void dataPacketHeaderBits() throws Exception {
    ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {0x47, 0x40, 0x11});
    DataPacket packet = new DataPacket(0x7FFFFFFF, DataPacket.POSITION_SOLO, false, 0, true,
        0x03FFFFFF, 123, 0x11223344, payload);

    assertGolden(packet, "7fffffff c7ffffff 0000007b 11223344 474011");
    // seq 2^31-1 | PP=11 O=0 KK=00 R=1 msgno 2^26-1 | timestamp | dst | payload
    assertThat(SrtPacket.decode(buf("00000001 a8000005 00000000 00000000")))
        .isEqualTo(new DataPacket(1, DataPacket.POSITION_FIRST, true, 1, false, 5, 0, 0,
            Unpooled.EMPTY_BUFFER));
  }

  @Test
  void decodeLeavesIndexesAndSlicesThePayload() throws Exception {
    ByteBuf datagram = buf("ffffffff 00000001 00000002 00000003 00000004 aabbcc");
    datagram.readerIndex(4);

    DataPacket packet = (DataPacket) SrtPacket.decode(datagram);

    assertThat(datagram.readerIndex()).isEqualTo(4);
    assertThat(packet.sequence()).isEqualTo(1);
    assertThat(packet.payload().readableBytes()).isEqualTo(3);
    datagram.setByte(4 + 16, 0x11);
    assertThat(packet.payload().getByte(0)).as("a slice, not a copy").isEqualTo((byte) 0x11);
  }

  @Test
  void malformedControlIsFormatError() {
    for (String hex : List.of("", "80020000 00000000 00000000", "80020000 0 0 0".replace(" 0", " 00000000"),
        "80030000 00000000 00000000 00000000 80000005",
        "80030000 00000000 00000000 00000000 80000005 00000004",
        "80030000 00000000 00000000 00000000 80000005 80000006",
        "80070000 00000000 00000000 00000000 00000001",
        "80020000 00000000 00000000 00000000 80000000")) {
      assertThatThrownBy(() -> SrtPacket.decode(buf(hex))).as(hex)
          .isInstanceOf(SrtFormatException.class);
    }
  }

  private static void assertGolden(SrtPacket packet, String hex) throws Exception {
    assertThat(encode(packet)).isEqualTo(normalize(hex));
    assertThat(SrtPacket.decode(buf(hex))).isEqualTo(packet);
  }
}
