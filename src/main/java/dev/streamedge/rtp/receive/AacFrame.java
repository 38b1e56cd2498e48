package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;

/**
 * One raw AAC access unit (no ADTS header) as {@link AacDepacketizer} read it from RTP (RFC 3640).
 *
 * @param timestamp its RTP timestamp (the sampling rate's clock), unsigned 32 bits
 * @param raw its bytes, in an unpooled heap buffer of its own: the receiver owns it and need not release it
 */
public record AacFrame(long timestamp, ByteBuf raw) {
}
