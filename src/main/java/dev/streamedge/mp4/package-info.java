/**
 * MP4 files read (ISO/IEC 14496-12): the sample tables of a progressive file's {@code moov}, at the file's
 * start or its end, for its first H.264 and first AAC track ({@code Mp4Index}), or a fragmented file's
 * {@code moof} boxes, indexed once and read again a fragment at a time ({@code Fmp4Index}), either one
 * through {@code Mp4Samples.read}; walked in decode order across both tracks from a seek point
 * ({@code SampleCursor}), each sample an offset and size in the file with its times, which
 * {@code Mp4Tags} frames as FLV tag bodies. Pure: bytes in, records out; blocking position reads through
 * {@code Mp4Index.Source}, for a worker thread.
 */
package dev.streamedge.mp4;
