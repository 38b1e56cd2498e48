/**
 * MPEG-DASH (ISO/IEC 23009-1) from the segments the HLS packager cuts: per segment, each track's
 * fragments written alone ({@code DashSegment}, {@code DashTrack}), since DASH players want one track per
 * Representation; the init segments and codecs of a run ({@code DashRun}); where each Period starts on the
 * wall clock ({@code DashPeriods}); and the dynamic MPD that lists them ({@code Manifest}). Pure: no Vert.x
 * I/O; the HTTP surface serves what {@code dev.streamedge.hls.HlsService} keeps.
 */
package dev.streamedge.dash;
