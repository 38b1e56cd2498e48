package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads datagrams by absolute index: the datagram's indexes are never moved. */
final class SrtDecoder {

  /** Extensions a handshake may carry before it is refused; libsrt sends at most 6. */
  private static final int MAX_EXTENSIONS = 16;

  private SrtDecoder() {
  }

  static SrtPacket decode(ByteBuf datagram) throws SrtFormatException {
    int start = datagram.readerIndex();
    int length = datagram.readableBytes();
    if (length < SrtPacket.HEADER_SIZE) {
      throw new SrtFormatException("datagram of " + length + " bytes, shorter than a header");
    }
    int first = datagram.getInt(start);
    int second = datagram.getInt(start + 4);
    int timestamp = datagram.getInt(start + 8);
    int destination = datagram.getInt(start + 12);
    int cif = start + SrtPacket.HEADER_SIZE;
    int cifLength = length - SrtPacket.HEADER_SIZE;
    if (first >= 0) {
      // §3.1: PP(2) O(1) KK(2) R(1) message number(26).
      return new DataPacket(first, second >>> 30, (second & 1 << 29) != 0, second >>> 27 & 3,
          (second & 1 << 26) != 0, second & DataPacket.MAX_MESSAGE_NUMBER, timestamp, destination,
          datagram.slice(cif, cifLength));
    }
    int type = first >>> 16 & 0x7FFF;
    int subtype = first & 0xFFFF;
    return switch (type) {
      case SrtPacket.TYPE_HANDSHAKE -> handshake(datagram, cif, cifLength, timestamp, destination);
      case SrtPacket.TYPE_KEEPALIVE -> new SrtPacket.KeepAlive(timestamp, destination);
      case SrtPacket.TYPE_ACK -> ack(datagram, cif, cifLength, second, timestamp, destination);
      case SrtPacket.TYPE_NAK -> nak(datagram, cif, cifLength, timestamp, destination);
      case SrtPacket.TYPE_SHUTDOWN -> new SrtPacket.Shutdown(timestamp, destination);
      case SrtPacket.TYPE_ACKACK -> new SrtPacket.AckAck(timestamp, destination, second);
      case SrtPacket.TYPE_DROPREQ -> {
        need(cifLength, 8, "drop request");
        yield new SrtPacket.DropRequest(timestamp, destination, second, datagram.getInt(cif),
            datagram.getInt(cif + 4));
      }
      case SrtPacket.TYPE_PEERERROR -> new SrtPacket.PeerError(timestamp, destination, second);
      default -> new SrtPacket.UnknownControl(timestamp, destination, type, subtype, second,
          bytes(datagram, cif, cifLength));
    };
  }

  private static Ack ack(ByteBuf in, int cif, int cifLength, int ackNumber, int timestamp,
      int destination) throws SrtFormatException {
    int words = cifLength / 4;
    need(cifLength, 4, "ACK");
    // libsrt tells the forms apart by length: 1 word light, 4 small, 6 (UDT) or 7 full.
    Ack.Form form = words < 4 ? Ack.Form.LIGHT : words < 6 ? Ack.Form.SMALL : Ack.Form.FULL;
    int[] fields = new int[7];
    int present = Math.min(words, form == Ack.Form.LIGHT ? 1 : form == Ack.Form.SMALL ? 4 : 7);
    for (int i = 0; i < present; i++) {
      fields[i] = in.getInt(cif + 4 * i);
    }
    if (fields[0] < 0) {
      throw new SrtFormatException("ACK of a sequence number with the top bit set");
    }
    return new Ack(timestamp, destination, form, ackNumber, fields[0], fields[1], fields[2],
        fields[3], fields[4], fields[5], fields[6]);
  }

  private static Nak nak(ByteBuf in, int cif, int cifLength, int timestamp, int destination)
      throws SrtFormatException {
    int words = cifLength / 4;
    List<SeqRange> ranges = new ArrayList<>(words);
    for (int i = 0; i < words; i++) {
      int word = in.getInt(cif + 4 * i);
      if (!Nak.isRangeFirst(word)) {
        ranges.add(SeqRange.of(word));
        continue;
      }
      if (++i == words) {
        throw new SrtFormatException("NAK range without its end");
      }
      int to = in.getInt(cif + 4 * i);
      int from = word & SeqNo.MAX;
      if (to < 0 || SeqNo.offset(from, to) < 0) {
        throw new SrtFormatException("NAK range " + from + ".." + to);
      }
      ranges.add(new SeqRange(from, to));
    }
    return new Nak(timestamp, destination, ranges);
  }

  private static Handshake handshake(ByteBuf in, int cif, int cifLength, int timestamp,
      int destination) throws SrtFormatException {
    need(cifLength, Handshake.CIF_SIZE, "handshake");
    int fields = in.getInt(cif + 4);
    List<HandshakeExtension> extensions = new ArrayList<>(2);
    int at = cif + Handshake.CIF_SIZE;
    int end = cif + cifLength;
    // libsrt pads nothing after the fixed part, but a 4-byte tail could only be padding; less than
    // a block header is ignored, as libsrt's FindExtensionBlock does.
    while (end - at >= 4) {
      if (extensions.size() == MAX_EXTENSIONS) {
        throw new SrtFormatException("more than " + MAX_EXTENSIONS + " handshake extensions");
      }
      int type = in.getUnsignedShort(at);
      int bytes = in.getUnsignedShort(at + 2) * 4;
      at += 4;
      if (bytes > end - at) {
        throw new SrtFormatException("handshake extension " + type + " of " + bytes
            + " bytes overruns the datagram");
      }
      try {
        extensions.add(extension(in, type, at, bytes));
      } catch (IllegalArgumentException e) {
        // A string that decodes past its record's limit (malformed UTF-8 grows when replaced).
        throw new SrtFormatException("handshake extension " + type + ": " + e.getMessage());
      }
      at += bytes;
    }
    return new Handshake(timestamp, destination, in.getInt(cif), fields >>> 16, fields & 0xFFFF,
        in.getInt(cif + 8), in.getInt(cif + 12), in.getInt(cif + 16), in.getInt(cif + 20),
        in.getInt(cif + 24), in.getInt(cif + 28), bytes(in, cif + 32, 16), extensions);
  }

  private static HandshakeExtension extension(ByteBuf in, int type, int at, int bytes)
      throws SrtFormatException {
    return switch (type) {
      case HandshakeExtension.TYPE_HSREQ, HandshakeExtension.TYPE_HSRSP -> {
        // libsrt's SRT_CMD_HSREQ_MINSZ: version and flags; the TSBPD word came later.
        need(bytes, 8, "HSREQ/HSRSP");
        int version = in.getInt(at);
        int flags = in.getInt(at + 4);
        int delays = bytes >= 12 ? in.getInt(at + 8) : 0;
        yield type == HandshakeExtension.TYPE_HSREQ
            ? new HandshakeExtension.HsReq(version, flags, delays >>> 16, delays & 0xFFFF)
            : new HandshakeExtension.HsRsp(version, flags, delays >>> 16, delays & 0xFFFF);
      }
      case HandshakeExtension.TYPE_KMREQ -> new HandshakeExtension.KmReq(bytes(in, at, bytes));
      case HandshakeExtension.TYPE_KMRSP -> new HandshakeExtension.KmRsp(bytes(in, at, bytes));
      case HandshakeExtension.TYPE_SID -> {
        if (bytes > HandshakeExtension.MAX_STREAM_ID_BYTES) {
          throw new SrtFormatException("stream id of " + bytes + " bytes");
        }
        yield new HandshakeExtension.StreamId(string(in, at, bytes, "stream id"));
      }
      case HandshakeExtension.TYPE_CONGESTION ->
          new HandshakeExtension.Congestion(string(in, at, bytes, "congestion"));
      case HandshakeExtension.TYPE_FILTER ->
          new HandshakeExtension.Filter(string(in, at, bytes, "filter"));
      case HandshakeExtension.TYPE_GROUP -> new HandshakeExtension.Group(bytes(in, at, bytes));
      default -> new HandshakeExtension.Raw(type, bytes(in, at, bytes));
    };
  }

  /** Un-reverses each word (see {@link HandshakeExtension.StreamId}) and strips the NUL padding. */
  private static String string(ByteBuf in, int at, int bytes, String what)
      throws SrtFormatException {
    byte[] text = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      text[i ^ 3] = in.getByte(at + i);
    }
    int length = bytes;
    while (length > 0 && text[length - 1] == 0) {
      length--;
    }
    if (length == 0) {
      throw new SrtFormatException("empty " + what);
    }
    return new String(text, 0, length, StandardCharsets.UTF_8);
  }

  private static Bytes bytes(ByteBuf in, int at, int length) {
    byte[] bytes = new byte[length];
    in.getBytes(at, bytes);
    return Bytes.wrap(bytes);
  }

  private static void need(int length, int needed, String what) throws SrtFormatException {
    if (length < needed) {
      throw new SrtFormatException(what + " of " + length + " bytes, needs " + needed);
    }
  }
}
