/**
 * Fragmented MP4 (ISO/IEC 14496-12) for CMAF HLS, pure: bytes in, boxes out. An init segment
 * ({@code ftyp} + {@code moov} with {@code mvex}) describes the tracks; each media segment is one
 * {@code moof} + {@code mdat}. Written here rather than with a library because none maintained in
 * Java writes {@code av1C} or {@code dOps}. How does a segment become bytes? {@code Fragment}; what
 * does a track look like? {@code SampleEntry}.
 */
package dev.streamedge.hls.fmp4;
