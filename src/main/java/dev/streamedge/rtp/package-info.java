/**
 * RTP (RFC 3550) for an RTSP play server over TCP (RFC 2326 §10.12 interleaving), pure: FLV bodies in, bytes
 * out, no Vert.x I/O, times passed in. {@link dev.streamedge.rtp.RtpTrackEncoder} turns a player's packets into
 * interleaved RTP with {@link dev.streamedge.rtp.H264Packetizer} (RFC 6184), {@link
 * dev.streamedge.rtp.H265Packetizer} (RFC 7798) and {@link dev.streamedge.rtp.AacPacketizer} (RFC 3640
 * AAC-hbr), each writing through a track's {@link dev.streamedge.rtp.RtpPacketWriter} on timestamps of its
 * {@link dev.streamedge.rtp.RtpClock}; {@link dev.streamedge.rtp.Sdp} describes the tracks ({@link
 * dev.streamedge.rtp.VideoTrack}, {@link dev.streamedge.rtp.AudioTrack}) for DESCRIBE; {@link
 * dev.streamedge.rtp.RtcpSenderReport} writes a track's sender report and CNAME.
 */
package dev.streamedge.rtp;
