/**
 * Stream thumbnails: a JPEG of a live stream's last keyframe, for the dashboard and the API. {@code KeyframeGrab}
 * takes the keyframe from the stream as a subscriber that leaves once it has it, {@code JpegMaker} has ffmpeg
 * (a separate program, {@code transcode.ffmpeg}) decode and scale it, {@code ThumbnailService} bounds how many run
 * and keeps each stream's last one for {@code thumbnail.max-age}.
 */
package dev.streamedge.thumbnail;
