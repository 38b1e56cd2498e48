/**
 * Non-blocking RTMP clients on Vert.x, a player ({@code RtmpPlayClient}) and a publisher
 * ({@code RtmpPublishClient}), used by the load generator and the tests, over all six variants: the
 * URL's scheme ({@code RtmpUrl}, {@code Variant}) picks rtmp, rtmps, rtmpe, rtmpt, rtmpts or rtmpte.
 * Which class does connect, createStream, acknowledgements and pings? {@code ClientSession}, with the
 * server's own pieces: the handshake reader, the chunk decoder and encoder, and the message reader of
 * {@code rtmp.message}. What carries its bytes? A {@code ClientTransport} it cannot tell apart from
 * another: {@code SocketTransport} (TCP, TLS, RTMPE's RC4 as a {@code net.CipherLayer}) or
 * {@code TunnelTransport} (RTMPT's HTTP POSTs, one at a time, with a bounded queue; RTMPTE through
 * {@code net.TunnelCipher}). Its bounds and socket options: {@code RtmpClientOptions}.
 */
package dev.streamedge.rtmp.client;
