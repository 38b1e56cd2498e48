package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;

/**
 * Handshake (§3.2.1): 48 bytes of control information, then extensions (§3.2.1.1) in a version 5
 * conclusion.
 *
 * <p>What a libsrt 1.4/1.5 caller sends and expects (libsrt core.cpp processConnectRequest,
 * processConnectResponse): the induction request has version 4, extension field 2 (UDT_DGRAM),
 * cookie 0, destination socket 0. The listener's induction response echoes it with version 5,
 * extension field {@link #MAGIC} (a v5 caller rejects anything else), encryption field 0 (or the
 * advertised key length / 8: 2, 3, 4), type INDUCTION, the cookie set; the caller's socket id goes in
 * the header's destination socket. The conclusion request again has destination socket 0, version 5,
 * extension flags HSREQ (| KMREQ | CONFIG), the same cookie. The conclusion response has version 5,
 * extension field {@link #EXT_HSREQ}, type CONCLUSION, the listener's own socket id (which the caller
 * then addresses), an MTU of at most 1500 and an HSRSP extension; the caller's socket id goes in the
 * header. A rejection is a handshake whose type is a rejection code ({@link #rejection}).
 *
 * @param encryptionField 16 bits: 0, or the key length in bytes / 8
 * @param extensionField 16 bits: {@link #MAGIC} in an induction response, {@code EXT_*} flags in a
 *     conclusion, 2 (UDT_DGRAM) from version 4 callers
 * @param type {@code TYPE_*} or a rejection code
 * @param peerAddress 16 bytes exactly as on the wire; see {@link #peerAddressOf}
 */
public record Handshake(int timestamp, int destinationSocket, int version, int encryptionField,
    int extensionField, int initialSequence, int mtu, int flowWindow, int type, int socketId,
    int synCookie, Bytes peerAddress, List<HandshakeExtension> extensions) implements SrtPacket {

  /** This handshake sent at another time: the same fields and extensions, {@code timestamp} in the header. */
  public Handshake withTimestamp(int timestamp) {
    return new Handshake(timestamp, destinationSocket, version, encryptionField, extensionField, initialSequence, mtu,
        flowWindow, type, socketId, synCookie, peerAddress, extensions);
  }

  /** Size of the handshake's fixed part. */
  public static final int CIF_SIZE = 48;
  public static final int VERSION_UDT4 = 4;
  public static final int VERSION_SRT1 = 5;
  /** The extension field of a version 4 handshake: the UDT socket type. */
  public static final int UDT_DGRAM = 2;
  /** "HAIVISION" in the induction response's extension field (libsrt SRT_MAGIC_CODE). */
  public static final int MAGIC = 0x4A17;
  /** Extension field flags of a conclusion (libsrt HS_EXT_*). */
  public static final int EXT_HSREQ = 1;
  public static final int EXT_KMREQ = 2;
  public static final int EXT_CONFIG = 4;

  /** Handshake types (§3.2.1). */
  public static final int TYPE_WAVEAHAND = 0;
  public static final int TYPE_INDUCTION = 1;
  public static final int TYPE_CONCLUSION = 0xFFFFFFFF;
  public static final int TYPE_AGREEMENT = 0xFFFFFFFE;

  /**
   * Rejection types are 1000 + a reason (§3.2.1.2; libsrt URQFailure): the SRT_REJ_* reasons give
   * 1000-1016, the access-control SRT_REJX_* reasons (1000-2999) give 2000-3999.
   */
  public static final int REJECTION_BASE = 1000;
  public static final int REJECT_UNKNOWN = 1000;
  public static final int REJECT_PEER = 1002;
  /** SRT_REJ_RESOURCE: out of resources. */
  public static final int REJECT_RESOURCE = 1003;
  /** SRT_REJ_ROGUE: malformed handshake. */
  public static final int REJECT_ROGUE = 1004;
  /** SRT_REJ_BACKLOG: too many pending connections. */
  public static final int REJECT_BACKLOG = 1005;
  public static final int REJECT_CLOSE = 1007;
  /** SRT_REJ_VERSION: peer version unsupported. */
  public static final int REJECT_VERSION = 1008;
  /** SRT_REJ_RDVCOOKIE: libsrt's listener answers a bad cookie with it. */
  public static final int REJECT_COOKIE = 1009;
  /** SRT_REJ_BADSECRET: wrong passphrase. */
  public static final int REJECT_BAD_SECRET = 1010;
  /** SRT_REJ_UNSECURE: encryption required, or present and not supported. */
  public static final int REJECT_UNSECURE = 1011;
  public static final int REJECT_MESSAGE_API = 1012;
  public static final int REJECT_CONGESTION = 1013;
  public static final int REJECT_FILTER = 1014;
  public static final int REJECT_GROUP = 1015;
  /** 1000 + SRT_REJX_BAD_REQUEST (1400): stream id syntax error. */
  public static final int REJECT_BAD_REQUEST = 2400;
  /** 1000 + SRT_REJX_UNAUTHORIZED (1401). */
  public static final int REJECT_UNAUTHORIZED = 2401;
  /** 1000 + SRT_REJX_OVERLOAD (1402). */
  public static final int REJECT_OVERLOAD = 2402;
  /** 1000 + SRT_REJX_FORBIDDEN (1403). */
  public static final int REJECT_FORBIDDEN = 2403;
  /** 1000 + SRT_REJX_NOTFOUND (1404): unknown stream id. */
  public static final int REJECT_NOT_FOUND = 2404;
  /** 1000 + SRT_REJX_BAD_MODE (1405): unsupported m= in the stream id. */
  public static final int REJECT_BAD_MODE = 2405;
  /** 1000 + SRT_REJX_CONFLICT (1409): already being published. */
  public static final int REJECT_CONFLICT = 2409;
  /** 1000 + SRT_REJX_ISE (1500). */
  public static final int REJECT_INTERNAL = 2500;

  public Handshake {
    if ((encryptionField & ~0xFFFF) != 0 || (extensionField & ~0xFFFF) != 0
        || peerAddress.length() != 16) {
      throw new IllegalArgumentException("field out of range");
    }
    extensions = List.copyOf(extensions);
  }

  /** The handshake type that rejects with {@code reason}, an SRT_REJ_* or SRT_REJX_* value. */
  public static int rejection(int reason) {
    return REJECTION_BASE + reason;
  }

  /** Whether {@code type} is a rejection. */
  public static boolean isRejection(int type) {
    return type >= REJECTION_BASE;
  }

  /** The first extension of that class. */
  public <T extends HandshakeExtension> Optional<T> extension(Class<T> type) {
    for (HandshakeExtension extension : extensions) {
      if (type.isInstance(extension)) {
        return Optional.of(type.cast(extension));
      }
    }
    return Optional.empty();
  }

  /**
   * An address in the Peer IP Address field as libsrt writes it: the address bytes in network order
   * (IPv4 in the first 4, the rest 0), then like all control information swapped as 32-bit words
   * from host order, which on little-endian hosts reverses each 4 bytes: 127.0.0.1 is 01 00 00 7f.
   *
   * @param address 4 or 16 bytes, as InetAddress.getAddress
   */
  public static Bytes peerAddressOf(byte[] address) {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("not an IP address");
    }
    byte[] wire = new byte[16];
    for (int i = 0; i < address.length; i++) {
      wire[i ^ 3] = address[i];
    }
    return Bytes.wrap(wire);
  }

  /** The IP address bytes of a libsrt Peer IP Address field: 4 when the last 12 are 0, else 16. */
  public static byte[] addressOf(Bytes peerAddress) {
    byte[] wire = peerAddress.array();
    boolean v4 = true;
    for (int i = 4; i < 16; i++) {
      v4 &= wire[i] == 0;
    }
    byte[] address = new byte[v4 ? 4 : 16];
    for (int i = 0; i < address.length; i++) {
      address[i] = wire[i ^ 3];
    }
    return address;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    SrtEncoder.controlHeader(out, TYPE_HANDSHAKE, 0, 0, timestamp, destinationSocket);
    out.writeInt(version);
    out.writeShort(encryptionField);
    out.writeShort(extensionField);
    out.writeInt(initialSequence);
    out.writeInt(mtu);
    out.writeInt(flowWindow);
    out.writeInt(type);
    out.writeInt(socketId);
    out.writeInt(synCookie);
    out.writeBytes(peerAddress.array());
    for (HandshakeExtension extension : extensions) {
      SrtEncoder.extension(out, extension);
    }
  }
}
