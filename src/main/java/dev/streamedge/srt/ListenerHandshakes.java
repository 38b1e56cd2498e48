package dev.streamedge.srt;

import dev.streamedge.srt.HandshakeExtension.HsReq;
import dev.streamedge.srt.HandshakeExtension.HsRsp;
import java.util.List;

/**
 * The handshakes a listener answers a caller with (§4.3.1.1), field by field as libsrt's listener
 * (core.cpp processConnectRequest, acceptAndRespond, fillSrtHandshake_HSRSP), which is what libsrt
 * callers are tested against.
 */
public final class ListenerHandshakes {

  /** The largest MTU a libsrt caller accepts in a response (ETH_MAX_MTU_SIZE). */
  public static final int MAX_MTU = 1500;

  private ListenerHandshakes() {
  }

  /**
   * The induction response: the request echoed with version 5, extension field {@link
   * Handshake#MAGIC}, encryption field 0 (no key length advertised) and the cookie, sent to the
   * caller's socket id. libsrt echoes the caller's socket id in the body too; callers ignore it.
   */
  public static Handshake inductionResponse(Handshake request, int synCookie, int timestamp) {
    return new Handshake(timestamp, request.socketId(), Handshake.VERSION_SRT1, 0, Handshake.MAGIC,
        request.initialSequence(), request.mtu(), request.flowWindow(), Handshake.TYPE_INDUCTION,
        request.socketId(), synCookie, request.peerAddress(), List.of());
  }

  /**
   * The conclusion response to a version 5 caller: version 5, extension field HSREQ, the caller's
   * initial sequence number (both directions start there), the smaller MTU, this side's socket id
   * (the caller sends to it from then on), the caller's address as libsrt writes it, and HSRSP.
   *
   * @param peerAddress the caller's address, {@link Handshake#peerAddressOf}
   */
  public static Handshake conclusionResponse(Handshake request, int listenerSocketId, int mtu,
      int flowWindow, Bytes peerAddress, HsRsp hsRsp, int timestamp) {
    return new Handshake(timestamp, request.socketId(), Handshake.VERSION_SRT1, 0,
        Handshake.EXT_HSREQ, request.initialSequence(),
        Math.min(Math.min(request.mtu(), mtu), MAX_MTU), flowWindow, Handshake.TYPE_CONCLUSION,
        listenerSocketId, request.synCookie(), peerAddress, List.of(hsRsp));
  }

  /**
   * HSRSP to a caller's HSREQ: TSBPDRCV with the agreed latency (the larger of {@code latencyMillis} and
   * the caller's sender delay) in the receiver half, TSBPDSND with the larger of {@code latencyMillis}
   * and the caller's receiver delay in the sender half when the caller asked for it (libsrt's
   * processSrtMsg_HSREQ selects the same, its peer latency being our latency),
   * TLPKTDROP and PERIODICNAK (this receiver does both), REXMITFLG when the caller has it. CRYPT and
   * PACKET_FILTER are not announced: this side has neither.
   */
  public static HsRsp hsRsp(HsReq request, int srtVersion, int latencyMillis) {
    int flags = HandshakeExtension.FLAG_TLPKTDROP | HandshakeExtension.FLAG_PERIODICNAK;
    int receiverDelay = 0;
    int senderDelay = 0;
    if ((request.flags() & HandshakeExtension.FLAG_TSBPDSND) != 0) {
      flags |= HandshakeExtension.FLAG_TSBPDRCV;
      receiverDelay = Math.max(latencyMillis, request.senderTsbpdDelay());
    }
    if ((request.flags() & HandshakeExtension.FLAG_TSBPDRCV) != 0) {
      flags |= HandshakeExtension.FLAG_TSBPDSND;
      senderDelay = Math.max(latencyMillis, request.receiverTsbpdDelay());
    }
    flags |= request.flags() & HandshakeExtension.FLAG_REXMITFLG;
    return new HsRsp(srtVersion, flags, Math.min(receiverDelay, 0xFFFF), Math.min(senderDelay, 0xFFFF));
  }

  /**
   * A rejection: the request's fields with the type set to {@code rejectionType} (a {@code
   * Handshake.REJECT_*} value) and no extensions, sent to the caller's socket id, as libsrt does.
   */
  public static Handshake rejection(Handshake request, int rejectionType, int timestamp) {
    if (!Handshake.isRejection(rejectionType)) {
      throw new IllegalArgumentException("not a rejection: " + rejectionType);
    }
    return new Handshake(timestamp, request.socketId(), request.version(), request.encryptionField(),
        request.extensionField(), request.initialSequence(), request.mtu(), request.flowWindow(),
        rejectionType, request.socketId(), request.synCookie(), request.peerAddress(), List.of());
  }
}
