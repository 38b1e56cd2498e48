package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** The shared parts of writing packets; each record writes its own fields. */
final class SrtEncoder {

  private SrtEncoder() {
  }

  /** The control packet header (§3.2, Figure 4): F=1, type, subtype, then three words. */
  static void controlHeader(ByteBuf out, int type, int subtype, int typeSpecific, int timestamp,
      int destinationSocket) {
    if ((type & ~0x7FFF) != 0 || (subtype & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("control type " + type + "/" + subtype);
    }
    out.writeInt(0x80000000 | type << 16 | subtype);
    out.writeInt(typeSpecific);
    out.writeInt(timestamp);
    out.writeInt(destinationSocket);
  }

  /** One extension block: type, length in words, contents (§3.2.1.1). */
  static void extension(ByteBuf out, HandshakeExtension extension) {
    out.writeShort(extension.type());
    if (extension instanceof HandshakeExtension.HsReq r) {
      srtHandshake(out, r.srtVersion(), r.flags(), r.receiverTsbpdDelay(), r.senderTsbpdDelay());
    } else if (extension instanceof HandshakeExtension.HsRsp r) {
      srtHandshake(out, r.srtVersion(), r.flags(), r.receiverTsbpdDelay(), r.senderTsbpdDelay());
    } else if (extension instanceof HandshakeExtension.KmReq k) {
      words(out, k.content());
    } else if (extension instanceof HandshakeExtension.KmRsp k) {
      words(out, k.content());
    } else if (extension instanceof HandshakeExtension.StreamId id) {
      string(out, id.value());
    } else if (extension instanceof HandshakeExtension.Congestion c) {
      string(out, c.value());
    } else if (extension instanceof HandshakeExtension.Filter f) {
      string(out, f.value());
    } else if (extension instanceof HandshakeExtension.Group g) {
      words(out, g.content());
    } else {
      words(out, ((HandshakeExtension.Raw) extension).content());
    }
  }

  private static void srtHandshake(ByteBuf out, int version, int flags, int receiverDelay,
      int senderDelay) {
    out.writeShort(3);
    out.writeInt(version);
    out.writeInt(flags);
    out.writeInt(receiverDelay << 16 | senderDelay);
  }

  private static void words(ByteBuf out, Bytes content) {
    out.writeShort(content.length() / 4);
    out.writeBytes(content.array());
  }

  /** NUL-padded to whole words, each word's bytes reversed, as libsrt's fillHsExtConfigString. */
  private static void string(ByteBuf out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int words = (bytes.length + 3) / 4;
    out.writeShort(words);
    for (int i = 0; i < words * 4; i++) {
      int at = i ^ 3;
      out.writeByte(at < bytes.length ? bytes[at] : 0);
    }
  }
}
