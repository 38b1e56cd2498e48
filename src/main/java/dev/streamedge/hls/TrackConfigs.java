package dev.streamedge.hls;

import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import java.util.Arrays;

/**
 * The codec configurations a stream's next run starts with: each track's last sequence header (its fMP4
 * sample entry, and for H.264 and AAC the parsed configuration MPEG-TS needs), kept so that a repeated
 * header can be told from a new one. Used by {@link HlsMuxer} on one thread.
 */
final class TrackConfigs {

  private AvcConfig avc;
  private AacConfig aac;
  /** The current video and audio tracks for fMP4, of any codec; avc and aac are their H.264 and AAC. */
  private SampleEntry videoEntry;
  private SampleEntry audioEntry;
  /** The sequence headers' bodies, to tell a new configuration from a repeated one. */
  private byte[] videoRecord;
  private byte[] audioRecord;
  private long audioFrameMillis;

  /** Whether {@code record} differs from the video sequence header kept. */
  boolean videoDiffers(byte[] record) {
    return !Arrays.equals(record, videoRecord);
  }

  boolean audioDiffers(byte[] record) {
    return !Arrays.equals(record, audioRecord);
  }

  void video(byte[] record, AvcConfig parsed, SampleEntry entry) {
    avc = parsed;
    videoEntry = entry;
    videoRecord = record;
  }

  void audio(byte[] record, AacConfig parsed, SampleEntry entry, long frameMillis) {
    aac = parsed;
    audioEntry = entry;
    audioRecord = record;
    audioFrameMillis = frameMillis;
  }

  /** The video track as a keyframe showed it (VP9's picture size is in its frames, not its header). */
  void videoEntry(SampleEntry entry) {
    videoEntry = entry;
  }

  /** Forgets every configuration: the next session's sequence headers come first. */
  void clear() {
    avc = null;
    aac = null;
    videoEntry = null;
    audioEntry = null;
    videoRecord = null;
    audioRecord = null;
  }

  AvcConfig avc() {
    return avc;
  }

  AacConfig aac() {
    return aac;
  }

  SampleEntry videoEntry() {
    return videoEntry;
  }

  SampleEntry audioEntry() {
    return audioEntry;
  }

  long audioFrameMillis() {
    return audioFrameMillis;
  }
}
