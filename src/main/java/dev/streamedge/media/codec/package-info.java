/**
 * Codec configuration records, pure: AVC (ISO/IEC 14496-15) and AAC (ISO/IEC 14496-3), the bit reader
 * they share, and the human description operators see. What size is this stream's picture? {@code
 * AvcConfig}.
 */
package dev.streamedge.media.codec;
