/**
 * MPEG-TS (ISO/IEC 13818-1) for HLS segments, pure: PAT/PMT, PES with PTS/DTS, PCR, H.264 Annex B and
 * AAC ADTS. How does a frame become TS packets? {@code TsMuxer}.
 */
package dev.streamedge.hls.ts;
