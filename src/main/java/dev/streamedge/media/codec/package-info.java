/**
 * Codec configuration records, pure: AVC and HEVC (ISO/IEC 14496-15) and AAC (ISO/IEC 14496-3), the bit
 * reader they share, and the human description operators see. What size is this stream's picture?
 * {@code AvcConfig}. The record for an SPS and a PPS from an Annex B stream? {@code AvcConfigRecord},
 * {@code HevcConfigRecord}. What does this ADTS header say? {@code AdtsHeader}.
 */
package dev.streamedge.media.codec;
