package dev.streamedge.config;

import java.time.Duration;

/**
 * The RTMP listener and the limits it applies to each connection.
 *
 * @param chunkSize the chunk size we announce with Set Chunk Size for our outgoing messages
 * @param maxChunkSize the largest Set Chunk Size a peer may announce
 * @param maxMessageSize the largest message a peer may send; RTMP lengths are 24-bit
 * @param maxMessageSizeBeforePublish the largest message a connection may send before it publishes
 *     (players never do): connect and the other commands are small, frames come after publish
 * @param maxHeldBeforePublish the most bytes of media and script data held for a publish not yet allowed:
 *     nginx-rtmp's push sends its frames right after {@code publish}, without waiting for the answer
 * @param maxMetadataSize the largest script data message (onMetaData, cue points) passed on to players:
 *     every player of the stream gets each one, so a huge one costs as much as many frames
 * @param maxMetadataPerSecond the most script data messages one published stream passes on per second
 * @param maxIncompleteBytes bound on heap held in partly received messages over all connections of
 *     the node, so that many clients each sending the start of a huge message cannot exhaust memory
 * @param partialMessageTimeout how long a message may take from its first chunk to its last
 * @param maxChunkStreams the most distinct chunk streams one peer may use
 * @param maxConnectionsPerAddress the most connections from one IP address; 0 for no such cap
 * @param publishOrPlayTimeout how long a connected connection may go without publishing or playing
 * @param idlePublisherTimeout how long a publisher may send no media before it is closed
 * @param idleStreams nginx-rtmp's {@code idle_streams}: whether an RTMP player of a live stream nobody publishes
 *     waits for a publisher (true), or is refused with NetStream.Play.StreamNotFound and let go when the
 *     publisher leaves (false)
 * @param pingInterval how often an idle connection is pinged; {@link Duration#ZERO} means never
 * @param proxyProtocol whether each connection to the RTMP and RTMPS ports starts with a PROXY protocol
 *     header (v1 or v2) naming the client, as a load balancer in front sends it
 * @param localPort the port of the RTMP listener on 127.0.0.1 that reads no PROXY protocol header, for the
 *     node's own programs (a transcoder's renditions, exec programs that publish back): it listens only
 *     while {@code proxyProtocol} is on
 * @param rtmpe whether the RTMP port also serves RTMPE, and the RTMPT tunnel RTMPTE
 */
public record RtmpConfig(
    String host,
    int port,
    int chunkSize,
    int maxChunkSize,
    ByteSize maxMessageSize,
    ByteSize maxMessageSizeBeforePublish,
    ByteSize maxHeldBeforePublish,
    ByteSize maxMetadataSize,
    int maxMetadataPerSecond,
    ByteSize maxIncompleteBytes,
    Duration partialMessageTimeout,
    int maxChunkStreams,
    int maxConnections,
    int maxConnectionsPerAddress,
    int maxStreamsPerConnection,
    Duration handshakeTimeout,
    Duration publishOrPlayTimeout,
    Duration idlePublisherTimeout,
    boolean idleStreams,
    Duration pingInterval,
    Duration pingTimeout,
    int windowAckSize,
    boolean proxyProtocol,
    int localPort,
    Rtmps rtmps,
    Rtmpe rtmpe) {

  /**
   * RTMP over TLS. The loader has checked that cert and key are either both empty or both readable
   * files, so {@link #enabled()} is all a listener needs to ask.
   *
   * @param cert PEM certificate chain path, relative to the working directory; empty when off
   * @param key PEM private key path, relative to the working directory; empty when off
   * @param versions the TLS versions offered, comma-separated ({@code TLSv1.2}, {@code TLSv1.3} or both)
   * @param engine {@code openssl} (BoringSSL's, when it loads here) or {@code jdk}
   */
  public record Rtmps(int port, String cert, String key, String versions, String engine) {

    public boolean preferOpenSsl() {
      return "openssl".equals(engine);
    }

    public boolean enabled() {
      return !cert.isEmpty();
    }

    public java.util.Set<String> versionSet() {
      return java.util.Set.of(versions.split(","));
    }
  }

  /**
   * RTMPE, the encrypted RTMP handshake, on the plain RTMP port and inside the RTMPT tunnel (RTMPTE): a
   * client that opens with C0 = 6 gets it. It obfuscates, it does not secure (see docs/playback.md#rtmpe).
   */
  public record Rtmpe(boolean enabled) {
  }
}
