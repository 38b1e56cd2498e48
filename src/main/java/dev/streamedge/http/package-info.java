/**
 * The HTTP listener and its media handlers: HLS playlists and segments, HTTP-FLV and WebSocket-FLV
 * players, CORS headers, and play auth for HTTP. Which route serves {@code /live/test.flv}? {@code
 * HttpServerVerticle}.
 */
package dev.streamedge.http;
