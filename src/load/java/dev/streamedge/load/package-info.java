/**
 * The load generator ({@link dev.streamedge.load.LoadMain}): a paced FLV publisher that marks every H.264
 * frame ({@link dev.streamedge.load.FrameMark}), many RTMP, HTTP-FLV and HLS players, HdrHistogram
 * latency and first-frame figures, and the server's CPU, memory and TCP segments read from /proc and
 * ss(8), reported as text or JSON. It is a source set of its own, src/load/java, built into
 * target/streamedge-load.jar: it uses the server's RTMP client classes, and the server never uses it.
 */
package dev.streamedge.load;
