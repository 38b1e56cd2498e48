package dev.streamedge.config;

import java.time.Duration;

/**
 * Stream thumbnails: a JPEG of a live stream's last keyframe, made by ffmpeg on request and kept a while.
 *
 * @param enabled whether {@code /api/v1/streams/<app>/<key>/thumbnail.jpg} is served
 * @param width the thumbnail's width in pixels; the height keeps the aspect ratio
 * @param maxAge how long a made thumbnail is served before a request makes a new one
 * @param timeout longest wait for a keyframe and ffmpeg's picture
 * @param maxProcesses most ffmpeg processes making thumbnails at once
 * @param maxCached most streams whose last thumbnail is kept
 * @param maxSize largest JPEG taken from ffmpeg and largest keyframe given to it
 */
public record ThumbnailConfig(boolean enabled, int width, Duration maxAge, Duration timeout, int maxProcesses,
    int maxCached, ByteSize maxSize) {
}
