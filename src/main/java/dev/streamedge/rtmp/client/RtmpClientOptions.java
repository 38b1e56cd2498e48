package dev.streamedge.rtmp.client;

import io.vertx.core.net.NetClientOptions;

/**
 * How a client connects, whatever the variant.
 *
 * @param network socket options (TCP_NODELAY, timeouts) and TLS trust, for the RTMP socket and for the
 *     tunnel's HTTP connection alike; TLS is switched on for {@code rtmps} and {@code rtmpts} whatever
 *     it says
 * @param maxTunnelQueuedBytes over RTMPT: bytes written that may wait for the next {@code /send};
 *     past it the session fails, as a socket whose peer stopped reading would be cut
 * @param maxWriteQueueBytes over a socket: bytes its write queue holds before it reports itself full
 *     (Vert.x's {@code setWriteQueueMaxSize}); a writer that heeds it, like a push relay, stops there
 * @param maxPollDelayMillis over RTMPT: the longest pause before the next {@code /idle} that a server's
 *     polling byte may ask for after an empty answer (see {@link TunnelTransport})
 * @param transientPayloads whether a message's payload is the listener's only during the call that hands
 *     it over, its buffer then taking a later message: for a client that keeps no payload (the load
 *     generator's players), which then costs no allocation per message; over a socket, reads are then
 *     decoded from Netty's buffers, not from Vert.x's heap copy of each
 */
public record RtmpClientOptions(NetClientOptions network, int maxTunnelQueuedBytes, int maxWriteQueueBytes,
    int maxPollDelayMillis, boolean transientPayloads) {

  /** 8 MiB: several seconds of a high-bit-rate publisher whose tunnel stalls. */
  public static final int DEFAULT_MAX_TUNNEL_QUEUED_BYTES = 8 * 1024 * 1024;
  /** Red5 asks for up to 33 units (330 ms) when a session idles; a live player should not wait that long. */
  public static final int DEFAULT_MAX_POLL_DELAY_MILLIS = 250;
  /** Vert.x's own default write queue bound. */
  public static final int DEFAULT_MAX_WRITE_QUEUE_BYTES = 64 * 1024;

  public RtmpClientOptions {
    if (network == null) {
      throw new IllegalArgumentException("network options are required");
    }
    if (maxTunnelQueuedBytes < 1) {
      throw new IllegalArgumentException("maxTunnelQueuedBytes must be at least 1, got " + maxTunnelQueuedBytes);
    }
    if (maxWriteQueueBytes < 1) {
      throw new IllegalArgumentException("maxWriteQueueBytes must be at least 1, got " + maxWriteQueueBytes);
    }
    if (maxPollDelayMillis < 0) {
      throw new IllegalArgumentException("maxPollDelayMillis must not be negative, got " + maxPollDelayMillis);
    }
  }

  /** TCP_NODELAY on and the default bounds. */
  public static RtmpClientOptions defaults() {
    return of(new NetClientOptions().setTcpNoDelay(true));
  }

  /** {@code network} and the default bounds. */
  public static RtmpClientOptions of(NetClientOptions network) {
    return new RtmpClientOptions(network, DEFAULT_MAX_TUNNEL_QUEUED_BYTES, DEFAULT_MAX_WRITE_QUEUE_BYTES,
        DEFAULT_MAX_POLL_DELAY_MILLIS, false);
  }

  public RtmpClientOptions withMaxTunnelQueuedBytes(int bytes) {
    return new RtmpClientOptions(network, bytes, maxWriteQueueBytes, maxPollDelayMillis, transientPayloads);
  }

  public RtmpClientOptions withMaxWriteQueueBytes(int bytes) {
    return new RtmpClientOptions(network, maxTunnelQueuedBytes, bytes, maxPollDelayMillis, transientPayloads);
  }

  /** These options with payloads the listener may not keep (see {@code transientPayloads}). */
  public RtmpClientOptions withTransientPayloads() {
    return new RtmpClientOptions(network, maxTunnelQueuedBytes, maxWriteQueueBytes, maxPollDelayMillis, true);
  }
}
