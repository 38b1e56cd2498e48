/**
 * The SRT listener: one UDP socket on one event loop, the caller-listener handshake (SRT draft §4.3.1.1)
 * answered with a stateless cookie until the caller proves its address, then one connection per caller
 * that publishes (acknowledges, reports losses, waits for retransmissions up to the latency and
 * publishes the MPEG-TS it carries into the stream core) or plays (a player of the stream core written
 * MPEG-TS, sent again what the caller reports lost). Protocol bytes are read and written by {@code
 * dev.streamedge.srt}, the MPEG-TS by {@code dev.streamedge.mpegts} and {@code dev.streamedge.hls.ts}.
 */
package dev.streamedge.srt.server;
