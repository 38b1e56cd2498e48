/**
 * HLS packaged in the server: where segments are cut and which are listed ({@code HlsMuxer}, pure), the
 * live media playlist, and the per-stream packager and node-wide service that run them on the HLS
 * contexts. Where is a segment cut? {@code HlsMuxer}.
 */
package dev.streamedge.hls;
