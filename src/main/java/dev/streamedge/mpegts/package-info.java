/**
 * MPEG-2 transport streams (ISO/IEC 13818-1) as an ingest reads them, pure: bytes in, records out, no
 * Vert.x I/O. A transport stream from SRT into PES frames? {@code TsDemuxer}. Those frames into the FLV
 * tag bodies an RTMP publisher would send? {@code FlvFromTs}, whose Annex B writers {@code AvcToFlv} and {@code
 * HevcToFlv} the RTSP ingest shares. The CRC of PSI sections, shared with the
 * HLS muxer: {@code Crc32Mpeg2}.
 */
package dev.streamedge.mpegts;
