/**
 * The load generator, a source set of its own (src/load/java, built into target/streamedge-load.jar)
 * that uses the server's RTMP client and that the server never uses: a paced FLV publisher that marks
 * every H.264 frame, many RTMP, HTTP-FLV and HLS players, HdrHistogram figures of latency and first
 * frames, and the server's CPU, memory and TCP segments read from /proc and ss(8), reported as text or
 * JSON. How late did a frame reach its player? {@code FrameMark}, {@code PlayerTrack}.
 */
package dev.streamedge.load;
