package dev.streamedge.config;

import java.time.Duration;

/**
 * The RTMP listener and the limits it applies to each connection.
 *
 * @param chunkSize the chunk size we announce with Set Chunk Size for our outgoing messages
 * @param maxChunkSize the largest Set Chunk Size a peer may announce
 * @param maxMessageSize the largest message a peer may send; RTMP lengths are 24-bit
 * @param maxIncompleteBytes bound on bytes held in partly received messages over all connections of
 *     the node, so that many clients each sending the start of a huge message cannot exhaust memory
 * @param maxChunkStreams the most distinct chunk streams one peer may use
 * @param idlePublisherTimeout how long a publisher may send no media before it is closed
 * @param pingInterval how often an idle connection is pinged; {@link Duration#ZERO} means never
 */
public record RtmpConfig(
    String host,
    int port,
    int chunkSize,
    int maxChunkSize,
    ByteSize maxMessageSize,
    ByteSize maxIncompleteBytes,
    int maxChunkStreams,
    int maxConnections,
    int maxStreamsPerConnection,
    Duration handshakeTimeout,
    Duration idlePublisherTimeout,
    Duration pingInterval,
    Duration pingTimeout,
    int windowAckSize,
    Rtmps rtmps) {

  /**
   * RTMP over TLS. The loader has checked that cert and key are either both empty or both readable
   * files, so {@link #enabled()} is all a listener needs to ask.
   *
   * @param cert PEM certificate chain path, relative to the working directory; empty when off
   * @param key PEM private key path, relative to the working directory; empty when off
   */
  public record Rtmps(int port, String cert, String key) {

    public boolean enabled() {
      return !cert.isEmpty();
    }
  }
}
