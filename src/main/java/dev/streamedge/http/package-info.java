/**
 * The HTTP listener and its media handlers: HLS playlists and segments, HTTP-FLV and WebSocket-FLV
 * players, CORS headers, play auth for HTTP, and the gate every HTTP connection passes (connection
 * limits, deadlines). Which route serves {@code /live/test.flv}? {@code HttpServerVerticle}. Which
 * limits does a new connection meet? {@code HttpConnectionGate}. Which HLS URL forms are there, and
 * what serves each? {@code HlsPath} and {@code HlsRoute}.
 */
package dev.streamedge.http;
