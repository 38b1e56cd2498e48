/**
 * The RTSP listener for players and publishers (RFC 2326), on Vert.x: a connection per client reads requests with the pure
 * {@link dev.streamedge.rtsp.RtspDecoder}, answers DESCRIBE with the SDP of the stream's tracks as they are
 * published ({@link dev.streamedge.rtsp.server.TrackProbe}), SETUP for RTP interleaved on the connection
 * (RTP over TCP, §10.12), and PLAY with a {@link dev.streamedge.player.Player} whose packets
 * {@link dev.streamedge.rtp.RtpTrackEncoder} turns into RTP, with RTCP sender reports for the players'
 * lip sync ({@link dev.streamedge.rtsp.server.RtspPlay}); and publishers: ANNOUNCE with an SDP, SETUP in record
 * mode, RECORD, the interleaved RTP turned into the stream's FLV bodies by {@link
 * dev.streamedge.rtp.receive.FlvFromRtp} ({@link dev.streamedge.rtsp.server.RtspPublish}). No RTP over UDP: it is
 * answered as unsupported.
 */
package dev.streamedge.rtsp.server;
