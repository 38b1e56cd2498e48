/**
 * Fragmented MP4 (ISO/IEC 14496-12), pure: bytes in, boxes out, shared by CMAF HLS and fMP4
 * recordings. An init segment ({@code ftyp} + {@code moov} with {@code mvex}) describes the tracks;
 * media follows as {@code moof} + {@code mdat} fragments. {@code FlvTracks} reads the tracks and
 * samples out of FLV packets; {@code Fmp4Muxer} times the samples and writes the fragments. Written
 * here rather than with a library because none maintained in Java writes {@code av1C} or {@code dOps}.
 * How does a fragment become bytes? {@code Fragment}; what does a track look like? {@code SampleEntry}.
 */
package dev.streamedge.fmp4;
