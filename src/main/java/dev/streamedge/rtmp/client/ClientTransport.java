package dev.streamedge.rtmp.client;

import dev.streamedge.net.CipherLayer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * What a client session's bytes travel over: a socket (RTMP, RTMPS, RTMPE) or the RTMPT tunnel (RTMPT,
 * RTMPTS, RTMPTE); the client's counterpart of the server's {@code RtmpTransport}. The
 * {@link ClientSession} reads and writes through it and never learns which it is. Every method is
 * called on the event loop of the context that opened it, and the transport calls its
 * {@link Listener} there.
 */
interface ClientTransport {

  /** What the transport tells the session. */
  interface Listener {

    /** Bytes from the server, in order. */
    void data(Buffer bytes);

    /** The transport is closed, by the server or the network, not by {@link #close()}. */
    void closed(String reason);
  }

  /** The transport {@code url}'s variant travels over. */
  static ClientTransport of(Vertx vertx, RtmpUrl url, RtmpClientOptions options) {
    return url.variant().tunnel() ? new TunnelTransport(vertx, url, options) : new SocketTransport(vertx, url, options);
  }

  /** Connects, then delivers to {@code listener}; fails when no connection (or tunnel session) can be made. */
  Future<Void> open(Listener listener);

  /** Writes bytes, in order; they may not be modified afterwards. */
  void write(Buffer bytes);

  /**
   * Puts RTMPE's RC4 under the session: the next {@code plainIn} bytes read and {@code plainOut} bytes
   * written pass in the clear, everything after them through {@code decrypt} and {@code encrypt}.
   */
  void encrypt(CipherLayer.Keystream decrypt, long plainIn, CipherLayer.Keystream encrypt, long plainOut);

  /**
   * Whether bytes written wait beyond the transport's bound: a publisher that cares (a relay) writes
   * nothing more until {@link #drainHandler}'s handler runs.
   */
  boolean writeQueueFull();

  /** Runs {@code handler} on the transport's context whenever a full write queue has room again. */
  void drainHandler(Runnable handler);

  /** Stops reading from the server, as a stalled viewer would; over RTMPT, stops polling. */
  void pause();

  void resume();

  /** Closes; the listener hears nothing more. */
  Future<Void> close();
}
