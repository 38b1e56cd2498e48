/**
 * The node as an RTSP client (RFC 2326) that plays a stream from a camera or another server into this node: {@link
 * dev.streamedge.rtsp.client.RtspPlayClient} connects over TCP (TLS for {@code rtsps}), asks OPTIONS, DESCRIBE
 * (answering Basic or Digest authentication, following redirects), SETUP of each track it reads with RTP
 * interleaved on the connection (§10.12), or over UDP when the source refuses that, and PLAY, keeps the session
 * alive, and turns the RTP into the FLV bodies of the stream with {@link
 * dev.streamedge.rtp.receive.FlvFromRtp}, as the server does for a publisher. The pure codecs are in {@link
 * dev.streamedge.rtsp}; the relays in {@link dev.streamedge.relay} use it for {@code rtsp://} sources.
 */
package dev.streamedge.rtsp.client;
