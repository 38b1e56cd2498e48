/**
 * MPEG-TS (ISO/IEC 13818-1) writing, pure: PAT/PMT, PES with PTS/DTS, PCR, H.264 and H.265 Annex B, AAC ADTS;
 * for HLS segments (H.264) and SRT players (H.264 or H.265). How does a frame become TS packets? {@code TsMuxer}.
 */
package dev.streamedge.hls.ts;
