package dev.streamedge.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * One PES packet's payload (ISO/IEC 13818-1 §2.4.3.6): for video an access unit in Annex B byte stream
 * format, for AAC one or more ADTS frames.
 *
 * @param type what the PMT declared for its PID
 * @param pts90k presentation time stamp, 33 bits of a 90 kHz clock, as sent (not unwrapped)
 * @param dts90k decoding time stamp, the PTS when the PES header carried none
 * @param data an unpooled heap buffer of this frame alone: the receiver may keep it and need not
 *     release it
 */
public record TsFrame(TsStreamType type, long pts90k, long dts90k, ByteBuf data) {
}
