package dev.streamedge.config;

import java.time.Duration;

/**
 * The SRT listener for publishers (docs/srt.md).
 *
 * @param enabled whether the node listens for SRT
 * @param host the address it binds to
 * @param port its UDP port
 * @param defaultApp the app of a stream id that names a stream alone
 * @param passphrase what callers must encrypt with; "" for callers without encryption only
 * @param maxConnections the most connections at once, handshakes waiting for auth included
 * @param latency the receiver's TSBPD delay; the larger of this and the caller's is used
 * @param maxBufferedPackets packets a connection holds behind a lost one, also the flow window it announces
 * @param peerIdleTimeout a connection that receives nothing for this long is closed
 * @param maxFrameSize the largest PES (a video or audio frame) taken from the MPEG-TS
 */
public record SrtConfig(boolean enabled, String host, int port, String defaultApp, String passphrase,
    int maxConnections,
    Duration latency, int maxBufferedPackets, Duration peerIdleTimeout, ByteSize maxFrameSize) {

  /** Never the passphrase in a log line or a dump of the config. */
  @Override
  public String toString() {
    return "SrtConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", passphrase="
        + (passphrase.isEmpty() ? "none" : "set") + "]";
  }
}
