package dev.streamedge.srt.server;

import dev.streamedge.srt.Bytes;
import dev.streamedge.srt.DataPacket;
import dev.streamedge.srt.Handshake;
import dev.streamedge.srt.HandshakeExtension;
import dev.streamedge.srt.KeyMaterial;
import dev.streamedge.srt.PayloadCipher;
import dev.streamedge.srt.SrtPacket;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of a caller that encrypts (docs/srt.md, "Encryption"): those of its conclusion's KMREQ, then
 * those it announces in KMREQ control packets, each unwrapped with {@code srt.passphrase} on a worker thread
 * (2048 rounds of PBKDF2 are milliseconds of CPU no event loop spends) and installed on the connection's
 * context, which decrypts every data packet in place. At most one unwrap at a time: the caller repeats an
 * unanswered request.
 */
final class CallerKeys {

  /** The user-defined control subtypes of key material (SRT_CMD_KMREQ, SRT_CMD_KMRSP; SRT draft §3.2.2). */
  private static final int KEY_REQUEST = 3;
  private static final int KEY_RESPONSE = 4;

  private final Vertx vertx;
  private final String passphrase;
  private final PayloadCipher cipher = new PayloadCipher();
  private boolean unwrapping;

  CallerKeys(Vertx vertx, String passphrase) {
    this.vertx = vertx;
    this.passphrase = passphrase;
  }

  /** Unwraps and installs the keys of a KM message; completes on the caller's context, failed for another passphrase. */
  Future<Void> take(Bytes message) {
    unwrapping = true;
    String secret = passphrase;
    return vertx.executeBlocking(() -> PayloadCipher.unwrap(secret, KeyMaterial.parse(message.toArray())), false)
        .map(keys -> {
          cipher.install(keys);
          return (Void) null;
        })
        .onComplete(done -> unwrapping = false);
  }

  /** Decrypts an encrypted packet's payload in place (a retransmission is encrypted as the original was). */
  void decrypt(DataPacket data) {
    if (data.keyEncryption() != 0) {
      cipher.decrypt(data.sequence(), data.keyEncryption(), data.payload());
    }
  }

  /**
   * Encrypts a payload for the caller in place, with the keys it gave (HSv5: one set for both directions);
   * returns the KK its packet carries.
   */
  int encrypt(int sequence, ByteBuf payload) {
    return cipher.encrypt(sequence, payload);
  }

  /** Whether {@code packet} is a caller's announcement of new keys. */
  static boolean isKeyRequest(SrtPacket packet) {
    return packet instanceof SrtPacket.UnknownControl user && user.type() == SrtPacket.TYPE_USER
        && user.subtype() == KEY_REQUEST;
  }

  /**
   * Takes the new keys of a KMREQ control packet; completes with the KMRSP that acknowledges them (it echoes
   * the request), or with null while another unwrap is under way; fails when they do not unwrap.
   */
  Future<SrtPacket> refresh(SrtPacket.UnknownControl request, int timestamp, int peerSocketId) {
    if (unwrapping) {
      return Future.succeededFuture();
    }
    return take(request.content()).map(v -> new SrtPacket.UnknownControl(timestamp, peerSocketId,
        SrtPacket.TYPE_USER, KEY_RESPONSE, 0, request.content()));
  }

  /** The conclusion's answer with a KMRSP that echoes the caller's key material: its keys are taken. */
  static Handshake withKeyResponse(Handshake answer, HandshakeExtension.KmReq request) {
    List<HandshakeExtension> extensions = new ArrayList<>(answer.extensions());
    extensions.add(new HandshakeExtension.KmRsp(request.content()));
    return new Handshake(answer.timestamp(), answer.destinationSocket(), answer.version(), answer.encryptionField(),
        answer.extensionField() | Handshake.EXT_KMREQ, answer.initialSequence(), answer.mtu(), answer.flowWindow(),
        answer.type(), answer.socketId(), answer.synCookie(), answer.peerAddress(), extensions);
  }
}
