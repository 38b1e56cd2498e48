package dev.streamedge.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one run of a live stream (one init segment) as fMP4 fragments, from FLV timing in
 * milliseconds. The caller decides where fragments end; this class only times samples so that each
 * track's {@code tfdt} continues exactly where the previous fragment ended. Not thread-safe.
 *
 * <p>Video is timed at 90 kHz, exact for millisecond timestamps. Audio is timed in samples (AAC: 1024
 * a frame; Opus: from each packet's TOC), which millisecond timestamps only approximate, so audio
 * decode time is counted in samples and resynchronised with the timestamps only across a gap of more
 * than a frame.
 */
public final class Fmp4Muxer {

  private final SampleEntry videoEntry;
  private final SampleEntry audioEntry;
  private final byte[] init;
  private final TrackRun videoRun;
  private final TrackRun audioRun;
  private final List<TrackRun> runs;
  /** Decode time the next audio frame would have with no gap; -1 before the first. */
  private long audioNext = -1;
  /**
   * Added to video decode times (90 kHz) so that timestamps that go back within the run (a publisher
   * that resets its clock) continue the track instead: {@code tfdt} never goes back.
   */
  private long videoShift;
  /** Where the last fragment's video ended, -1 before the first. */
  private long videoEnd = -1;

  /**
   * @param video the video track, or null
   * @param audio the audio track, or null; at least one of the two
   * @param audioStart decode time (in {@code audio}'s timescale) before which audio may not start, so
   *     that a new run never goes back on the previous one's timeline
   */
  public Fmp4Muxer(SampleEntry video, SampleEntry audio, long audioStart) {
    if (video == null && audio == null) {
      throw new IllegalArgumentException("an fMP4 stream needs a video or an audio track");
    }
    this.videoEntry = video;
    this.audioEntry = audio;
    List<SampleEntry> entries = new ArrayList<>(2);
    List<TrackRun> trackRuns = new ArrayList<>(2);
    TrackRun v = null;
    TrackRun a = null;
    if (video != null) {
      entries.add(video);
      v = new TrackRun(entries.size());
      trackRuns.add(v);
    }
    if (audio != null) {
      entries.add(audio);
      a = new TrackRun(entries.size());
      trackRuns.add(a);
    }
    this.videoRun = v;
    this.audioRun = a;
    this.runs = List.copyOf(trackRuns);
    this.init = InitSegment.write(entries);
    this.audioNext = audio == null ? -1 : Math.max(-1, audioStart);
  }

  /** The init segment of the video track alone (its ID as in {@link #init()}); null without video. */
  public byte[] videoInit() {
    return videoEntry == null ? null : InitSegment.write(List.of(videoEntry), videoRun.trackId());
  }

  /** The init segment of the audio track alone (its ID as in {@link #init()}); null without audio. */
  public byte[] audioInit() {
    return audioEntry == null ? null : InitSegment.write(List.of(audioEntry), audioRun.trackId());
  }

  /** The video track, or null. */
  public SampleEntry videoEntry() {
    return videoEntry;
  }

  /** The audio track, or null. */
  public SampleEntry audioEntry() {
    return audioEntry;
  }

  /** The init segment (do not modify). */
  public byte[] init() {
    return init;
  }

  public boolean hasVideo() {
    return videoEntry != null;
  }

  public boolean hasAudio() {
    return audioEntry != null;
  }

  /** Where the audio timeline ends so far, in its timescale: the next run's {@code audioStart}. */
  public long audioEnd() {
    return Math.max(audioNext, 0);
  }

  /**
   * One video access unit.
   *
   * @param parameterSets written before the sample's NAL units when not null, see
   *     {@link AvcSampleEntry#inBandParameterSets}
   * @param sample the NAL units with their length prefixes, as FLV carries them
   */
  public void video(long dtsMillis, int ctsMillis, boolean keyframe, byte[] parameterSets, ByteBuf sample) {
    long dts = dtsMillis * 90 + videoShift;
    long floor = videoRun.sampleCount() > 0 ? videoRun.end() : videoEnd;
    if (dts < floor) {
      // Time went back: the HLS muxer has ended the segment (it cuts when time jumps), and this
      // fragment goes on from where the last one ended.
      videoShift += floor - dts;
      dts = floor;
    }
    videoRun.add(dts, ctsMillis * 90, keyframe, parameterSets, sample);
  }

  /** One audio frame of {@code samples} samples (in the track's timescale). */
  public void audio(long ptsMillis, ByteBuf frame, int samples) {
    long measured = ptsMillis * audioEntry.timescale() / 1000;
    long time;
    if (audioNext < 0 || measured > audioNext + samples) {
      time = Math.max(measured, audioNext); // first frame, or a gap in the audio
    } else {
      time = audioNext;
    }
    audioRun.add(time, 0, true, frame);
    audioNext = time + samples;
  }

  /** Timescale of the audio track, 0 without one. */
  public int audioTimescale() {
    return audioEntry == null ? 0 : audioEntry.timescale();
  }

  /** Bytes of media waiting for the next fragment. */
  public int pendingBytes() {
    int bytes = 0;
    for (TrackRun run : runs) {
      bytes += run.dataSize();
    }
    return bytes;
  }

  /** Whether a fragment would have samples. */
  public boolean hasSamples() {
    // Called per frame by the packagers: a loop, not a stream pipeline (one of which per frame showed in profiles).
    for (TrackRun run : runs) {
      if (run.sampleCount() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Ends the fragment and returns it.
   *
   * @param videoEndMillis where the last video sample ends: the next one's DTS
   */
  public byte[] fragment(long sequenceNumber, long videoEndMillis) {
    return fragment(sequenceNumber, videoEndMillis, null, null);
  }

  /**
   * Ends the fragment and returns it; also appends each track's samples, alone, to {@code video} and
   * {@code audio} (either may be null: not written).
   */
  public byte[] fragment(long sequenceNumber, long videoEndMillis, SingleTrack video, SingleTrack audio) {
    if (videoRun != null) {
      videoRun.endAt(videoEndMillis * 90 + videoShift);
      videoEnd = videoRun.end();
    }
    if (audioRun != null) {
      audioRun.endAt(audioNext);
    }
    int size = 1024;
    for (TrackRun run : runs) {
      size += run.dataSize() + run.sampleCount() * 16;
    }
    ByteBuf out = Unpooled.buffer(size);
    Fragment.write(out, sequenceNumber, runs);
    if (video != null && videoRun != null && videoRun.sampleCount() > 0) {
      video.append(sequenceNumber, videoRun);
    }
    if (audio != null && audioRun != null && audioRun.sampleCount() > 0) {
      audio.append(sequenceNumber, audioRun);
    }
    for (TrackRun run : runs) {
      run.clear();
    }
    return ByteBufUtil.getBytes(out);
  }
}
