package dev.streamedge.mp4;

/**
 * One sample of an MP4 track, where its bytes are and when it plays.
 *
 * @param video a video (H.264) sample, else audio (AAC)
 * @param timestamp the decode time in milliseconds, on one timeline for both tracks, never negative
 * @param compositionOffset presentation time minus decode time, milliseconds (0 for audio), within a
 *     signed 24-bit int as FLV's CompositionTime
 * @param keyframe a sync sample (§8.6.2 stss); always true for audio
 * @param offset where the sample's bytes start in the file
 * @param size how many bytes it has
 */
public record Mp4Sample(boolean video, long timestamp, int compositionOffset, boolean keyframe, long offset,
    int size) {
}
