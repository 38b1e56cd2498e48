package dev.streamedge.rtmp.server;

import dev.streamedge.net.CipherLayer;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.handshake.EncryptedHandshake;
import dev.streamedge.rtmp.handshake.Handshake;
import dev.streamedge.rtmp.handshake.Rc4;
import io.vertx.core.buffer.Buffer;

/**
 * The server's side of an RTMPE connection on its transport: answers C0+C1 and puts the RC4 layer in
 * front of the connection, so that from C2 on the connection reads and writes plain RTMP as on any
 * other socket (see {@link EncryptedHandshake} for the scheme, {@link CipherLayer} for the layer).
 */
final class RtmpeHandshake {

  private RtmpeHandshake() {
  }

  /** Whether a connection opening with {@code c0} asks for RTMPE and its transport serves it. */
  static boolean asked(int c0, boolean enabled, RtmpTransport transport) {
    // RTMPE inside TLS would need the layer behind the TLS handler, and gains nothing: refused there.
    return c0 == EncryptedHandshake.VERSION && enabled && transport.canEncrypt();
  }

  /**
   * Answers C0+C1 and installs the cipher layer: it passes the rest of C2 and S0+S1+S2 in the clear
   * and everything after them encrypted. {@code bytesIn} is every byte the connection has read, C0+C1
   * included.
   *
   * @return S0+S1+S2, to write at once
   */
  static Buffer answer(RtmpTransport transport, byte[] c0c1, long bytesIn) throws ProtocolException {
    EncryptedHandshake.Answer answer = EncryptedHandshake.respond(c0c1, EncryptedHandshake.threadRandom());
    // What was read past C0+C1 is C2. A client cannot encrypt anything before it has our public key in
    // S1, so more than C2 is a client that does not speak RTMPE, and its bytes cannot be decrypted.
    long restOfC2 = Handshake.C0C1_SIZE + Handshake.PACKET_SIZE - bytesIn;
    if (restOfC2 < 0) {
      throw new ProtocolException("RTMPE client sent " + -restOfC2 + " bytes after C2 before the server's S1");
    }
    Rc4 receive = Rc4.of(answer.keys().receive());
    Rc4 send = Rc4.of(answer.keys().send());
    transport.encrypt(receive::apply, restOfC2, send::apply, Handshake.S0S1S2_SIZE);
    return Buffer.buffer(answer.s0s1s2());
  }
}
