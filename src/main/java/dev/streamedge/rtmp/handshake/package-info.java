/**
 * The RTMP handshake (RTMP 1.0 §5.2), pure: plain and digest ("complex") C1/S1, server and client
 * sides. How is S1 signed? {@code Digests}.
 */
package dev.streamedge.rtmp.handshake;
