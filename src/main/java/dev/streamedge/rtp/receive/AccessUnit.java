package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;

/**
 * One video access unit as a depacketizer rebuilt it from RTP (RFC 6184 §5.1, RFC 7798 §4.1: the packets of an
 * access unit share its timestamp, and the last carries the marker bit).
 *
 * @param timestamp the RTP timestamp of its packets, unsigned 32 bits
 * @param annexB its NAL units in order, each behind the 4-byte start code {@code 00 00 00 01} (ITU-T H.264 and
 *     H.265 Annex B), in an unpooled heap buffer of its own: the receiver owns it and need not release it
 */
public record AccessUnit(long timestamp, ByteBuf annexB) {
}
