/**
 * HLS packaged in the server, laid out as gohlslib's muxer: {@code HlsSegmenter} only decides where a
 * segment or an LL-HLS part ends; {@code HlsWindow} owns what is listed and served; one writer per
 * variant ({@code TsSegmentWriter} for MPEG-TS, {@code Fmp4SegmentWriter} for fMP4 and its parts,
 * {@code HlsPart}); {@code HlsMuxer} reads the tracks and drives them; {@code MediaPlaylist} renders
 * each variant's playlist. {@code HlsPackager} and the node-wide {@code HlsService} run them on the
 * HLS contexts; {@code RenditionReports} carries each packager's last segment and part to the LL-HLS
 * playlists of its ladder's siblings, whose membership the node wires in through {@code HlsLadder};
 * {@code SegmentFiles} copies each MPEG-TS segment to a tmpfs file that HTTP sends with sendfile, held
 * by {@code SegmentFile}'s reference counts. The bytes are written by {@code ts.TsMuxer} and {@code dev.streamedge.fmp4.Fmp4Muxer} (shared with
 * recordings).
 */
package dev.streamedge.hls;
