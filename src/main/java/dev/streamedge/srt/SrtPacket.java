package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;

/**
 * One SRT packet (§3): a data packet or one of the control packets (§3.2). Every packet carries the
 * header's timestamp (microseconds since the sender's connection start, wrapping at 2^32) and
 * destination socket id (0 for a connection request).
 */
public sealed interface SrtPacket permits DataPacket, Handshake, Ack, Nak, SrtPacket.KeepAlive,
    SrtPacket.AckAck, SrtPacket.Shutdown, SrtPacket.DropRequest, SrtPacket.PeerError,
    SrtPacket.UnknownControl {

  /** Control types (§3.2, Table 1). */
  int TYPE_HANDSHAKE = 0;
  int TYPE_KEEPALIVE = 1;
  int TYPE_ACK = 2;
  int TYPE_NAK = 3;
  int TYPE_CONGESTION_WARNING = 4;
  int TYPE_SHUTDOWN = 5;
  int TYPE_ACKACK = 6;
  int TYPE_DROPREQ = 7;
  int TYPE_PEERERROR = 8;
  /** User-defined type; libsrt's in-band KMREQ/KMRSP (subtypes 3/4) and HSv4 HSREQ use it. */
  int TYPE_USER = 0x7FFF;

  /** Size of the header every packet starts with (§3). */
  int HEADER_SIZE = 16;

  int timestamp();

  int destinationSocket();

  /**
   * Reads the readable bytes of one UDP datagram. The datagram's reader and writer indexes are left
   * as they were; a {@link DataPacket}'s payload is a slice of it (not retained, not copied), valid as
   * long as the datagram is; everything else is copied out, so the datagram may be released once a
   * payload is no longer needed.
   *
   * @throws SrtFormatException when the bytes are not a well-formed packet; nothing else is thrown
   */
  static SrtPacket decode(ByteBuf datagram) throws SrtFormatException {
    return SrtDecoder.decode(datagram);
  }

  /**
   * Appends this packet's wire form at {@code out}'s writer index, growing it as ByteBuf does; the
   * caller allocates (1500 bytes hold any packet a listener sends) and owns {@code out}.
   */
  void encodeTo(ByteBuf out);

  /** Keep-alive (§3.2.3). libsrt sends 4 zero bytes of control information; so does the encoder. */
  record KeepAlive(int timestamp, int destinationSocket) implements SrtPacket {
    @Override
    public void encodeTo(ByteBuf out) {
      SrtEncoder.controlHeader(out, TYPE_KEEPALIVE, 0, 0, timestamp, destinationSocket);
      out.writeInt(0);
    }
  }

  /** ACKACK (§3.2.8): acknowledges the full ACK of {@code ackNumber}, for the RTT. */
  record AckAck(int timestamp, int destinationSocket, int ackNumber) implements SrtPacket {
    @Override
    public void encodeTo(ByteBuf out) {
      SrtEncoder.controlHeader(out, TYPE_ACKACK, 0, ackNumber, timestamp, destinationSocket);
      out.writeInt(0);
    }
  }

  /** Shutdown (§3.2.7); 4 zero bytes of control information as libsrt sends. */
  record Shutdown(int timestamp, int destinationSocket) implements SrtPacket {
    @Override
    public void encodeTo(ByteBuf out) {
      SrtEncoder.controlHeader(out, TYPE_SHUTDOWN, 0, 0, timestamp, destinationSocket);
      out.writeInt(0);
    }
  }

  /** Message drop request (§3.2.9): the sender gave up on message {@code messageNumber}. */
  record DropRequest(int timestamp, int destinationSocket, int messageNumber, int first, int last)
      implements SrtPacket {
    @Override
    public void encodeTo(ByteBuf out) {
      SrtEncoder.controlHeader(out, TYPE_DROPREQ, 0, messageNumber, timestamp, destinationSocket);
      out.writeInt(first);
      out.writeInt(last);
    }
  }

  /** Peer error (§3.2.10): {@code errorCode} from the type-specific field (4000 = file system error). */
  record PeerError(int timestamp, int destinationSocket, int errorCode) implements SrtPacket {
    @Override
    public void encodeTo(ByteBuf out) {
      SrtEncoder.controlHeader(out, TYPE_PEERERROR, 0, errorCode, timestamp, destinationSocket);
      out.writeInt(0);
    }
  }

  /**
   * Any other control packet (congestion warning, user-defined such as in-band KMREQ), with its
   * type-specific field and control information copied out.
   */
  record UnknownControl(int timestamp, int destinationSocket, int type, int subtype,
      int typeSpecific, Bytes content) implements SrtPacket {
    @Override
    public void encodeTo(ByteBuf out) {
      SrtEncoder.controlHeader(out, type, subtype, typeSpecific, timestamp, destinationSocket);
      out.writeBytes(content.array());
    }
  }
}
