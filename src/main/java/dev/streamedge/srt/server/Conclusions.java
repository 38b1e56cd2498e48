package dev.streamedge.srt.server;

import dev.streamedge.srt.Handshake;
import dev.streamedge.srt.HandshakeExtension;
import dev.streamedge.srt.HandshakeExtension.HsReq;
import java.util.Optional;

/**
 * What a caller's conclusion asks that this listener does not do, with the rejection libsrt's callers
 * report for it: a handshake older than version 5 (libsrt before 1.3), encryption when the listener has no
 * passphrase (refused rather than received in the clear, as libsrt's own listener refuses it by default) or
 * none when it has one, file or message mode,
 * a congestion control other than live, a packet filter (FEC) or a socket group.
 */
final class Conclusions {

  /** The SRT version this side announces in its HSRSP: 1.5.3, the protocol libsrt 1.5 speaks. */
  static final int SRT_VERSION = 0x010503;

  /** A rejection: its wire code and the reason for the log. */
  record Rejection(int code, String why) {
  }

  private Conclusions() {
  }

  /**
   * What this listener does not take of {@code hello}; {@code encrypts} says whether it has a passphrase,
   * which every caller must then use, as libsrt's listener enforces by default (SRTO_ENFORCEDENCRYPTION).
   */
  static Optional<Rejection> unsupported(Handshake hello, boolean encrypts) {
    Optional<HsReq> request = hello.extension(HsReq.class);
    if (hello.version() != Handshake.VERSION_SRT1 || request.isEmpty()) {
      return Optional.of(new Rejection(Handshake.REJECT_VERSION,
          "handshake version " + hello.version() + " without HSREQ: an SRT 1.3 or later caller is needed"));
    }
    boolean encrypted = hello.extension(HandshakeExtension.KmReq.class).isPresent();
    if (encrypted && !encrypts) {
      return Optional.of(new Rejection(Handshake.REJECT_UNSECURE,
          "the caller encrypts (a passphrase) and srt.passphrase is not set: publish without one, or set it"));
    }
    if (!encrypted && encrypts) {
      return Optional.of(new Rejection(Handshake.REJECT_UNSECURE,
          "the caller does not encrypt and srt.passphrase is set: every caller must give it"));
    }
    if ((request.get().flags() & HandshakeExtension.FLAG_STREAM) != 0) {
      return Optional.of(new Rejection(Handshake.REJECT_MESSAGE_API, "file (stream) mode: live mode only"));
    }
    Optional<HandshakeExtension.Congestion> congestion = hello.extension(HandshakeExtension.Congestion.class);
    if (congestion.isPresent() && !congestion.get().value().equals("live")) {
      return Optional.of(new Rejection(Handshake.REJECT_CONGESTION,
          "congestion control " + congestion.get().value() + ": live only"));
    }
    if (hello.extension(HandshakeExtension.Filter.class).isPresent()) {
      return Optional.of(new Rejection(Handshake.REJECT_FILTER, "a packet filter (FEC), which this listener lacks"));
    }
    if (hello.extension(HandshakeExtension.Group.class).isPresent()) {
      return Optional.of(new Rejection(Handshake.REJECT_GROUP, "a socket group (bonding), which this listener lacks"));
    }
    return Optional.empty();
  }

  /** The caller's stream id, or "" without one. */
  static String streamId(Handshake hello) {
    return hello.extension(HandshakeExtension.StreamId.class).map(HandshakeExtension.StreamId::value).orElse("");
  }

  /** The latency the caller proposes for its receiving (its HSREQ's receiver TSBPD delay), in ms. */
  static int receiverLatency(Handshake hello) {
    return hello.extension(HsReq.class).map(HsReq::receiverTsbpdDelay).orElse(0);
  }

  /** The latency the caller proposes for our receiving (its HSREQ's sender TSBPD delay), in ms. */
  static int senderLatency(Handshake hello) {
    return hello.extension(HsReq.class).map(HsReq::senderTsbpdDelay).orElse(0);
  }
}
