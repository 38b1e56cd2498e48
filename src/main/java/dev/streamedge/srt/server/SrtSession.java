package dev.streamedge.srt.server;

import dev.streamedge.auth.AuthRequest;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.srt.Handshake;
import dev.streamedge.srt.HandshakeExtension;
import dev.streamedge.srt.ListenerHandshakes;
import dev.streamedge.srt.SrtPacket;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SRT caller the listener keeps, from its conclusion handshake to its end: a publisher ({@link
 * SrtConnection}) or a player ({@link SrtPlayer}). What both do alike lives here: the caller's keys taken
 * before auth, a refusal answered and forgotten, the answer sent again for each repeated conclusion, key
 * refreshes, idleness, the API's kick. On the listener's context.
 */
abstract sealed class SrtSession permits SrtConnection, SrtPlayer {

  private static final Logger LOG = LoggerFactory.getLogger(SrtSession.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");
  /** A keepalive after a second of nothing sent (§3.2.3); ACKs and media usually make it unneeded. */
  static final long KEEPALIVE_MICROS = 1_000_000;

  /** AUTHORIZING until auth (and for a publisher the claim) allowed it; OPEN while it publishes or plays. */
  enum State { AUTHORIZING, OPEN, CLOSED }

  final SrtListenerVerticle listener;
  final SrtServer server;
  final Context context;
  final Peer peer;
  private final int socketId;
  private final int peerSocketId;
  final long startMicros;
  final long connectedAtMillis = System.currentTimeMillis();
  State state = State.AUTHORIZING;
  /** The answer to the caller's conclusion, sent again for each repeat of it. */
  Handshake answer;
  /** The keys of a caller that encrypts; null for one that does not. */
  CallerKeys keys;
  AuthRequest request;
  StreamKey key;
  long lastReceivedMicros;
  long lastSentMicros;

  SrtSession(SrtListenerVerticle listener, SrtServer server, Context context, Peer peer, int socketId,
      int peerSocketId, long nowMicros) {
    this.listener = listener;
    this.server = server;
    this.context = context;
    this.peer = peer;
    this.socketId = socketId;
    this.peerSocketId = peerSocketId;
    this.startMicros = nowMicros;
    this.lastReceivedMicros = nowMicros;
    this.lastSentMicros = nowMicros;
  }

  /** The socket id this side gave the caller, which its packets are addressed to. */
  final int socketId() {
    return socketId;
  }

  /** The caller's own socket id, which this side's packets are addressed to. */
  final int peerSocketId() {
    return peerSocketId;
  }

  final Peer peerAddress() {
    return peer;
  }

  /** A packet of this session's caller. */
  abstract void packet(SrtPacket packet, long nowMicros);

  /** The listener's 10 ms beat. */
  abstract void tick(long nowMicros);

  /** Ends the session; the caller is told with a shutdown when {@code tellPeer}. */
  abstract void close(String reason, boolean tellPeer);

  /** {@code publish} or {@code play}, for the log. */
  abstract String action();

  /**
   * Takes the caller's keys when its conclusion carries them (SRT draft §6.1.5; the unwrap runs on a worker
   * thread), then runs {@code next}; keys that do not unwrap with {@code srt.passphrase} are refused.
   */
  final void keysThen(Handshake hello, Runnable next) {
    Optional<HandshakeExtension.KmReq> keyRequest = hello.extension(HandshakeExtension.KmReq.class);
    if (keyRequest.isEmpty()) {
      next.run();
      return;
    }
    CallerKeys taken = new CallerKeys(context.owner(), server.config().passphrase());
    taken.take(keyRequest.get().content()).onComplete(unwrapped -> {
      if (state != State.AUTHORIZING) {
        return;
      }
      if (unwrapped.failed()) {
        refuse(hello, Handshake.REJECT_BAD_SECRET, "its keys do not unwrap with srt.passphrase ("
            + unwrapped.cause().getMessage() + ")", Refusal.AUTH);
        return;
      }
      keys = taken;
      next.run();
    });
  }

  /** The conclusion's answer, with a KMRSP that echoes the caller's keys when it gave some; sent at once. */
  final void answer(Handshake hello, Handshake accepted) {
    answer = hello.extension(HandshakeExtension.KmReq.class).map(km -> CallerKeys.withKeyResponse(accepted, km))
        .orElse(accepted);
    send(answer);
  }

  /**
   * Answers with a rejection and forgets the caller: it holds no connection slot. Should the answer be lost,
   * the caller's repeated conclusion is a new one, asked of auth again.
   */
  final void refuse(Handshake hello, int code, String why, Refusal counted) {
    state = State.CLOSED;
    listener.forget(this);
    if (counted != null) {
      server.metrics().refused(counted);
    }
    REFUSED_LOG.info("{} refused {} stream={} protocol=srt reason={}", action(), peer.text(), key, why);
    listener.send(ListenerHandshakes.rejection(hello, code, 0), peer);
  }

  /** A conclusion the caller sent again: it has not heard the answer, if there is one yet. */
  final void concludedAgain() {
    if (answer != null) {
      // Stamped now: the caller takes the answer's timestamp as this side's start (libsrt's processSrtMsg_HSRSP,
      // start = arrival - timestamp), and the first stamp would put every packet later by the repeat's delay.
      send(answer.withTimestamp((int) (micros() - startMicros)));
    }
  }

  /** Whether {@code packet} announces the caller's new keys: they are taken, and a KMRSP answers. */
  final boolean keysRefreshed(SrtPacket packet, int timestamp) {
    if (keys == null || !CallerKeys.isKeyRequest(packet)) {
      return false;
    }
    keys.refresh((SrtPacket.UnknownControl) packet, timestamp, peerSocketId).onComplete(this::keysTaken);
    return true;
  }

  private void keysTaken(AsyncResult<SrtPacket> refreshed) {
    if (state != State.OPEN) {
      return;
    }
    if (refreshed.failed()) {
      close("its new keys do not unwrap with srt.passphrase", true);
    } else if (refreshed.result() != null) {
      send(refreshed.result());
    }
  }

  /** Closes a session whose caller sent nothing for {@code srt.peer-idle-timeout}; true when it did. */
  final boolean closedIfIdle(long nowMicros) {
    if (nowMicros - lastReceivedMicros < server.config().peerIdleTimeout().toNanos() / 1000) {
      return false;
    }
    close("nothing received for " + (nowMicros - lastReceivedMicros) / 1000 + " ms", true);
    return true;
  }

  final void send(SrtPacket packet) {
    lastSentMicros = micros();
    listener.send(packet, peer);
  }

  final long micros() {
    return listener.nowMicros();
  }

  // ---- the API's view (Client) ----

  public final Context context() {
    return context;
  }

  public final void kick(String reason) {
    context.runOnContext(v -> close(reason, true));
  }
}
