package dev.streamedge.srt;

import java.nio.charset.StandardCharsets;

/**
 * A handshake extension block (§3.2.1.1): a 16-bit type, a 16-bit length in 4-byte words, then the
 * contents. Types 1-8 are libsrt's SRT_CMD_*; others decode as {@link Raw}.
 */
public sealed interface HandshakeExtension {

  int TYPE_HSREQ = 1;
  int TYPE_HSRSP = 2;
  int TYPE_KMREQ = 3;
  int TYPE_KMRSP = 4;
  int TYPE_SID = 5;
  int TYPE_CONGESTION = 6;
  int TYPE_FILTER = 7;
  int TYPE_GROUP = 8;

  /** SRT Flags of HSREQ/HSRSP (§3.2.1.1.1; libsrt's SRT_OPT_*). */
  int FLAG_TSBPDSND = 0x01;
  int FLAG_TSBPDRCV = 0x02;
  int FLAG_CRYPT = 0x04;
  int FLAG_TLPKTDROP = 0x08;
  int FLAG_PERIODICNAK = 0x10;
  int FLAG_REXMITFLG = 0x20;
  int FLAG_STREAM = 0x40;
  int FLAG_PACKET_FILTER = 0x80;

  /** libsrt's SRTO_STREAMID limit; a longer stream id is a protocol error there too. */
  int MAX_STREAM_ID_BYTES = 512;

  int type();

  /**
   * HSREQ (§3.2.1.1.1). The TSBPD word holds the Receiver TSBPD Delay in its upper 16 bits and the
   * Sender TSBPD Delay in its lower 16 (libsrt's SRT_HS_LATENCY_RCV = bits 31-16, _SND = 15-0), in
   * milliseconds. A caller puts its own receive latency in the first and the latency it proposes for
   * the listener's receiving in the second.
   *
   * @param srtVersion e.g. 0x010503 for 1.5.3
   */
  record HsReq(int srtVersion, int flags, int receiverTsbpdDelay, int senderTsbpdDelay)
      implements HandshakeExtension {
    public HsReq {
      checkDelays(receiverTsbpdDelay, senderTsbpdDelay);
    }

    @Override
    public int type() {
      return TYPE_HSREQ;
    }
  }

  /**
   * HSRSP (§3.2.1.1.1), as {@link HsReq}. A listener answering a publisher puts the agreed latency
   * (the larger of its own and the caller's sender delay) in {@code receiverTsbpdDelay} with
   * TSBPDRCV, and the caller's receiver delay in {@code senderTsbpdDelay} with TSBPDSND.
   */
  record HsRsp(int srtVersion, int flags, int receiverTsbpdDelay, int senderTsbpdDelay)
      implements HandshakeExtension {
    public HsRsp {
      checkDelays(receiverTsbpdDelay, senderTsbpdDelay);
    }

    @Override
    public int type() {
      return TYPE_HSRSP;
    }
  }

  /** KMREQ (§3.2.1.1.2, §6.1.5), the key material as on the wire; this codec does not decrypt. */
  record KmReq(Bytes content) implements HandshakeExtension {
    public KmReq {
      checkWords(content);
    }

    @Override
    public int type() {
      return TYPE_KMREQ;
    }
  }

  /** KMRSP, as on the wire. */
  record KmRsp(Bytes content) implements HandshakeExtension {
    public KmRsp {
      checkWords(content);
    }

    @Override
    public int type() {
      return TYPE_KMRSP;
    }
  }

  /**
   * Stream id (§3.2.1.3): 1 to 512 bytes of UTF-8. On the wire each 4-byte word is byte-reversed
   * (libsrt writes the string little-endian word by word, then its header swap turns every control
   * word big-endian), padded with NULs, which decoding strips.
   */
  record StreamId(String value) implements HandshakeExtension {
    public StreamId {
      int bytes = value.getBytes(StandardCharsets.UTF_8).length;
      if (bytes == 0 || bytes > MAX_STREAM_ID_BYTES || value.endsWith("\0")) {
        throw new IllegalArgumentException("stream id of " + bytes + " bytes");
      }
    }

    @Override
    public int type() {
      return TYPE_SID;
    }
  }

  /** Congestion controller name (§3.2.1.4), "live" or "file", encoded as the stream id. */
  record Congestion(String value) implements HandshakeExtension {
    public Congestion {
      checkString(value);
    }

    @Override
    public int type() {
      return TYPE_CONGESTION;
    }
  }

  /** Packet filter configuration (§3.2.1.1 type 7), e.g. "fec,cols:10", encoded as the stream id. */
  record Filter(String value) implements HandshakeExtension {
    public Filter {
      checkString(value);
    }

    @Override
    public int type() {
      return TYPE_FILTER;
    }
  }

  /** Group membership (§3.2.1.1 type 8), kept as on the wire. */
  record Group(Bytes content) implements HandshakeExtension {
    public Group {
      checkWords(content);
    }

    @Override
    public int type() {
      return TYPE_GROUP;
    }
  }

  /** Any other extension, as on the wire. */
  record Raw(int type, Bytes content) implements HandshakeExtension {
    public Raw {
      if ((type & ~0xFFFF) != 0) {
        throw new IllegalArgumentException("type " + type);
      }
      checkWords(content);
    }
  }

  private static void checkDelays(int receiver, int sender) {
    if ((receiver & ~0xFFFF) != 0 || (sender & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("TSBPD delays are 16 bits");
    }
  }

  private static void checkWords(Bytes content) {
    if (content.length() % 4 != 0 || content.length() / 4 > 0xFFFF) {
      throw new IllegalArgumentException("extension contents are whole words");
    }
  }

  private static void checkString(String value) {
    // Trailing NULs would not survive the padding's stripping.
    if (value.isEmpty() || value.endsWith("\0")
        || value.getBytes(StandardCharsets.UTF_8).length / 4 >= 0xFFFF) {
      throw new IllegalArgumentException("bad string extension");
    }
  }
}
