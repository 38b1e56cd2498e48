/**
 * Files played on demand, as nginx-rtmp's {@code play} directive: apps whose play names a file in a
 * directory ({@code VodLibrary}), where a name becomes a path and how many plays may read at once; a
 * file's tags read from disk off the event loop and handed on at the pace of their timestamps, ahead by
 * the player's buffer, with seek and pause ({@code FilePlayback}); each format behind {@code MediaFile},
 * picked by the file's first bytes ({@code MediaFiles}): FLV ({@code FlvMediaFile}, with the scan that finds
 * where a seek starts, {@code FlvSeek}) and MP4 ({@code Mp4MediaFile}). Names no protocol: the RTMP play flow
 * is one user.
 */
package dev.streamedge.vod;
