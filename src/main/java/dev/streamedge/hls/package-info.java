/**
 * HLS packaged in the server: where segments are cut and which are listed ({@code HlsMuxer}, pure), the
 * live media playlist of each variant (MPEG-TS, fMP4; {@code HlsVariant}), and the per-stream packager
 * and node-wide service that run them on the HLS contexts. Where is a segment cut? {@code HlsMuxer}.
 * How is it written? {@code ts.TsMuxer} and {@code dev.streamedge.fmp4.Fmp4Muxer} (shared with recordings).
 */
package dev.streamedge.hls;
