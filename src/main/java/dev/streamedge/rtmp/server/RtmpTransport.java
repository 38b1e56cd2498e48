package dev.streamedge.rtmp.server;

import dev.streamedge.net.CipherLayer;
import dev.streamedge.session.Protocol;
import io.vertx.core.buffer.Buffer;

/**
 * What an RTMP session's bytes travel over: a TCP socket (RTMP, RTMPS) or an HTTP tunnel (RTMPT). The
 * {@link RtmpConnection} reads and writes through it and never learns which it is; only the
 * {@link #protocol()} it reports names the variant, for metrics, the API and the log. Every method is
 * called on the transport's context, and the transport calls its {@link Listener} there.
 */
public interface RtmpTransport {

  /** What the transport tells the connection, on the connection's context. */
  interface Listener {

    /** Bytes from the peer, in order. */
    void data(Buffer bytes);

    /** The transport can take writes again after {@link #full()} said it could not. */
    void writable();

    /** The node is shutting down: the connection should let its players go and end. */
    void draining();

    /** The transport is closed: by the peer, or after {@link #end()} or {@link #close()}. */
    void closed();

    /** The transport failed and is closed; {@code reason} says how, for the log. */
    void failed(String reason);
  }

  /** Starts delivering to {@code listener}; called once, before any write. */
  void start(Listener listener);

  /** The variant this transport carries, as metrics, the API and the log name it. */
  Protocol protocol();

  /** The peer as {@code host:port}, for the log and the API. */
  String peer();

  /** The peer's IP address alone, as auth callbacks get it. */
  String address();

  /** Writes control and command bytes, sent without waiting for the end of the event-loop turn. */
  void write(Buffer bytes);

  /**
   * Writes media chunks, shared with other players and never modified, sent with whatever else this
   * event-loop turn writes: the hot path, which must allocate nothing per call that it need not.
   */
  void writeMedia(Buffer media);

  /** The transport holds as much unsent data as it should: write no more media until {@link Listener#writable()}. */
  boolean full();

  /** Bytes written that the peer has not received yet, as far as the transport can tell; ask rarely. */
  long unackedBytes();

  /**
   * Whether an RC4 layer can go under the connection (RTMPE): on a plain TCP socket or an RTMPT
   * tunnel over plain HTTP, not inside TLS.
   */
  boolean canEncrypt();

  /**
   * The variant the connection turns into when its client asks for RTMPE at the first byte: RTMPE on
   * a socket, RTMPTE in a tunnel.
   */
  default Protocol encryptedProtocol() {
    return Protocol.RTMPE;
  }

  /**
   * Puts the RC4 layer of RTMPE under the connection, when {@link #canEncrypt()}: the next
   * {@code plainIn} bytes read and {@code plainOut} bytes written pass in the clear, everything after
   * them through {@code decrypt} and {@code encrypt}.
   */
  void encrypt(CipherLayer.Keystream decrypt, long plainIn, CipherLayer.Keystream encrypt, long plainOut);

  /** Closes after what was written has gone out. */
  void end();

  /** Closes now; what was not sent is dropped. */
  void close();
}
