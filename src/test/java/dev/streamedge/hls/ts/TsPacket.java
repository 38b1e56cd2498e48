package dev.streamedge.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A transport stream packet read back independently of the muxer (ISO/IEC 13818-1 §2.4.3.2). */
record TsPacket(int pid, boolean unitStart, int continuity, byte[] adaptation, byte[] payload) {

  /** Splits a stream into packets, checking sync bytes, sizes and adaptation field lengths. */
  static List<TsPacket> parse(ByteBuf stream) {
    byte[] bytes = ByteBufUtil.getBytes(stream);
    assertThat(bytes.length % 188).as("stream length %d is a multiple of 188", bytes.length).isZero();
    List<TsPacket> packets = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += 188) {
      byte[] p = Arrays.copyOfRange(bytes, at, at + 188);
      assertThat(p[0]).as("sync byte of packet %d", at / 188).isEqualTo((byte) 0x47);
      int pid = (p[1] & 0x1F) << 8 | p[2] & 0xFF;
      int control = (p[3] >>> 4) & 0x03;
      int offset = 4;
      byte[] adaptation = new byte[0];
      if ((control & 0x2) != 0) {
        int length = p[4] & 0xFF;
        assertThat(length).as("adaptation_field_length").isLessThanOrEqualTo(183);
        adaptation = Arrays.copyOfRange(p, 5, 5 + length);
        offset = 5 + length;
      }
      byte[] payload = (control & 0x1) != 0 ? Arrays.copyOfRange(p, offset, 188) : new byte[0];
      packets.add(new TsPacket(pid, (p[1] & 0x40) != 0, p[3] & 0x0F, adaptation, payload));
    }
    return packets;
  }

  /** The PES packets of {@code pid}, reassembled from the payloads. */
  static List<byte[]> pes(List<TsPacket> packets, int pid) {
    List<byte[]> out = new ArrayList<>();
    ByteArrayOutputStream current = null;
    for (TsPacket packet : packets) {
      if (packet.pid() != pid) {
        continue;
      }
      if (packet.unitStart()) {
        if (current != null) {
          out.add(current.toByteArray());
        }
        current = new ByteArrayOutputStream();
      }
      assertThat(current).as("payload before the first unit start").isNotNull();
      current.writeBytes(packet.payload());
    }
    if (current != null) {
      out.add(current.toByteArray());
    }
    return out;
  }

  boolean pcrFlag() {
    return adaptation.length > 0 && (adaptation[0] & 0x10) != 0;
  }

  boolean randomAccess() {
    return adaptation.length > 0 && (adaptation[0] & 0x40) != 0;
  }

  /** program_clock_reference_base, 90 kHz. */
  long pcrBase() {
    long base = 0;
    for (int i = 1; i <= 4; i++) {
      base = base << 8 | adaptation[i] & 0xFF;
    }
    return base << 1 | (adaptation[5] & 0x80) >>> 7;
  }
}
