/**
 * RTP in, media out, for an RTSP ingest (ANNOUNCE then RECORD, RFC 2326 §10.3 and §10.11), pure: bytes in,
 * records out, no Vert.x I/O, no clocks, no threads. {@link dev.streamedge.rtp.receive.SdpDescription} reads the
 * announced session description (RFC 4566) into its {@link dev.streamedge.rtp.receive.SdpMedia}; {@link
 * dev.streamedge.rtp.receive.RtpPacket} reads one RTP packet (RFC 3550 §5.1) without copying its payload; {@link
 * dev.streamedge.rtp.receive.H264Depacketizer} (RFC 6184) and {@link dev.streamedge.rtp.receive.H265Depacketizer}
 * (RFC 7798) rebuild a track's {@link dev.streamedge.rtp.receive.AccessUnit}s in Annex B form, and {@link
 * dev.streamedge.rtp.receive.AacDepacketizer} (RFC 3640) or {@link dev.streamedge.rtp.receive.LatmDepacketizer}
 * (MP4A-LATM, RFC 6416, with its {@link dev.streamedge.rtp.receive.LatmConfig}) its raw {@link
 * dev.streamedge.rtp.receive.AacFrame}s; {@link dev.streamedge.rtp.receive.DecodeTimes} gives video frames the
 * decode times RTP does not carry; {@link dev.streamedge.rtp.receive.FlvFromRtp} puts it all together into the
 * FLV bodies an RTMP publisher would send, the tracks on one timeline by their RTCP {@link
 * dev.streamedge.rtp.receive.SenderReport}s.
 * The depacketizers never throw on what a publisher sends: they drop what they cannot use and count it (lost,
 * oversized, malformed). The sibling package {@code dev.streamedge.rtp} is the other direction, for players.
 */
package dev.streamedge.rtp.receive;
