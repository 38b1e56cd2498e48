/**
 * Adaptive bitrate: a ladder of renditions per stream, transcoded by one ffmpeg child process per
 * stream on the node its publisher is on. The source goes to ffmpeg's standard input as FLV, so the child
 * ends with the node; ffmpeg publishes each rendition back to the node's own RTMP listener on loopback
 * as an ordinary stream named {@code <key>_<rendition>}, admitted by a token of that process alone. The
 * master playlist that lists the ladder for HLS players is built here too. See docs/transcoding.md.
 */
package dev.streamedge.transcode;
