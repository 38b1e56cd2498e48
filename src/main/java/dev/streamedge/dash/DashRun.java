package dev.streamedge.dash;

import io.vertx.core.buffer.Buffer;

/**
 * What the segments of one run share (one set of codec configurations, as one HLS init segment): each
 * track's init segment alone and what the MPD says of it. Either track may be missing, not both.
 *
 * @param initId the id of the run's HLS init segment, unique over the node's life: part of every DASH URL
 *     of the run, so that a URL never names two different contents
 * @param videoInit the video track's init segment, or null without video
 * @param videoCodecs its RFC 6381 codecs parameter
 * @param audioInit the audio track's init segment, or null without audio
 * @param audioTimescale the audio track's timescale (its sample rate), 0 without audio
 * @param channels audio channels, 0 without audio
 */
public record DashRun(long initId, Buffer videoInit, String videoCodecs, int width, int height, Buffer audioInit,
    String audioCodecs, int audioTimescale, int channels) {

  /** The timescale of video tracks: 90 kHz, as every video track of the fMP4 muxer has. */
  public static final int VIDEO_TIMESCALE = 90_000;

  public boolean hasVideo() {
    return videoInit != null;
  }

  public boolean hasAudio() {
    return audioInit != null;
  }
}
