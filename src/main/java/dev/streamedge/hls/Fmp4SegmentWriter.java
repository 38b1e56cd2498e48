package dev.streamedge.hls;

import dev.streamedge.dash.DashPeriods;
import dev.streamedge.dash.DashRun;
import dev.streamedge.dash.DashSegment;
import dev.streamedge.dash.DashTrack;
import dev.streamedge.fmp4.AacSampleEntry;
import dev.streamedge.fmp4.AvcSampleEntry;
import dev.streamedge.fmp4.Fmp4Muxer;
import dev.streamedge.fmp4.OpusSampleEntry;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.fmp4.SingleTrack;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fMP4 variants ({@link HlsVariant#FMP4}, {@link HlsVariant#LOW_LATENCY}) of the segments of a
 * stream: every part is one fragment, and a segment is its parts concatenated, so both variants
 * share the same bytes. Told where to cut by {@link HlsMuxer}. Used on one thread.
 *
 * <p>With DASH on, each part's tracks are also written alone ({@link SingleTrack}), and a finished
 * segment's make its {@link DashSegment}.
 *
 * <p>A run has one init segment, which a new run reuses when its codec configurations are the same.
 * The timeline of a run continues the previous one's audio ({@link #startRun}), so {@code tfdt} only
 * grows within a packager's life.
 */
final class Fmp4SegmentWriter {

  /** The fMP4 side of the current run; null between runs. */
  private Fmp4Muxer fmp4;
  /** The init segment of the current (or last) run and its id: the sequence of its first segment. */
  private byte[] initBytes;
  private long initId;
  /** Where the last run's audio ended, and in which timescale: the next run's audio starts there. */
  private long audioEnd = -1;
  private int audioEndScale;
  /**
   * SPS and PPS of the run's H.264 track, written in band before the first keyframe of a run whose
   * init segment replaced another: ffmpeg's HLS demuxer keeps the first init's configuration across
   * an EXT-X-MAP change, and decodes the new picture size from these (ISO/IEC 14496-15 §5.3.2 lets
   * {@code avc1} samples carry parameter sets). Only there: Chromium stalls briefly at each segment
   * that repeats them.
   */
  private byte[] parameterSets;
  private boolean parameterSetsPending;
  /** The finished parts of the open segment. */
  private final List<HlsPart> parts = new ArrayList<>();
  private int segmentBytes;
  private boolean partIndependent;
  /** The next part's number, also its fragment's sequence number. */
  private long nextPart;
  /** Each track of the open segment alone, for DASH; null when DASH is off. */
  private final SingleTrack dashVideo;
  private final SingleTrack dashAudio;
  private final DashPeriods dashPeriods = new DashPeriods();
  /** What the DASH segments of the current (or last) run share; null when DASH is off. */
  private DashRun dashRun;

  /**
   * @param firstPart the first part's number; see {@link HlsMuxer} for why it is not 1
   * @param dash whether segments are also written for DASH, each track alone
   */
  Fmp4SegmentWriter(long firstPart, boolean dash) {
    this.nextPart = firstPart;
    this.dashVideo = dash ? new SingleTrack() : null;
    this.dashAudio = dash ? new SingleTrack() : null;
  }

  boolean inRun() {
    return fmp4 != null;
  }

  boolean hasVideo() {
    return fmp4.hasVideo();
  }

  boolean hasAudio() {
    return fmp4.hasAudio();
  }

  /**
   * Starts a run with these tracks; a new init segment (id {@code nextSequence}) when they differ
   * from the last run's.
   */
  void startRun(SampleEntry video, AvcConfig avc, SampleEntry audio, long nextSequence) {
    if (video != null && avc != null) {
      parameterSets = AvcSampleEntry.inBandParameterSets(avc.sps(), avc.pps(), avc.nalLengthSize());
    }
    long audioStart = audioEnd < 0 || audio == null ? -1 : audioEnd * audio.timescale() / audioEndScale;
    fmp4 = new Fmp4Muxer(video, audio, audioStart);
    if (initBytes == null || !Arrays.equals(initBytes, fmp4.init())) {
      parameterSetsPending = initBytes != null && video != null;
      initBytes = fmp4.init();
      initId = nextSequence;
      dashRun = dashVideo == null ? null : dashRun(fmp4, initId);
    }
  }

  private static DashRun dashRun(Fmp4Muxer fmp4, long id) {
    SampleEntry video = fmp4.videoEntry();
    SampleEntry audio = fmp4.audioEntry();
    int channels = audio instanceof AacSampleEntry aac ? aac.channels()
        : audio instanceof OpusSampleEntry opus ? opus.channels() : 0;
    return new DashRun(id, video == null ? null : WireBuffers.sharedCopy(fmp4.videoInit()),
        video == null ? null : video.codecs(), video == null ? 0 : video.width(), video == null ? 0 : video.height(),
        audio == null ? null : WireBuffers.sharedCopy(fmp4.audioInit()), audio == null ? null : audio.codecs(),
        audio == null ? 0 : audio.timescale(), channels);
  }

  /** Ends the current run; the next frame starts a new one. */
  void endRun() {
    if (fmp4 != null && fmp4.hasAudio()) {
      audioEnd = fmp4.audioEnd();
      audioEndScale = fmp4.audioTimescale();
    }
    fmp4 = null;
  }

  void video(long time, int cts, boolean keyframe, ByteBuf data, AvcConfig avc) {
    boolean inBand = parameterSetsPending && keyframe && avc != null
        && !AvcSampleEntry.startsWithSps(data, avc.nalLengthSize());
    if (!fmp4.hasSamples()) {
      partIndependent = keyframe;
    }
    fmp4.video(time, cts, keyframe, inBand ? parameterSets : null, data);
    parameterSetsPending &= !keyframe;
  }

  void audio(long time, ByteBuf data, int samples) {
    if (!fmp4.hasSamples()) {
      partIndependent = !fmp4.hasVideo();
    }
    fmp4.audio(time, data, samples);
  }

  /** Bytes of the open segment so far. */
  int segmentBytes() {
    return segmentBytes + fmp4.pendingBytes();
  }

  /**
   * Ends the open part at {@code endDts} (where the next frame starts) and returns it, or null when
   * it has no samples.
   */
  HlsPart finishPart(long segmentSequence, long durationMillis, long endDts) {
    if (!fmp4.hasSamples()) {
      return null;
    }
    long number = nextPart++;
    HlsPart part = new HlsPart(number, segmentSequence, parts.size(), durationMillis, partIndependent,
        WireBuffers.releasableCopy(fmp4.fragment(number, endDts, dashVideo, dashAudio)));
    // The writer's own hold, let go of in finishSegment: the window may let go of the part first (a
    // node that closes while its publisher is still on).
    WireBuffers.retain(part.data());
    parts.add(part);
    segmentBytes += part.data().length();
    return part;
  }

  /** The number the next part will have: the URI of EXT-X-PRELOAD-HINT. */
  long nextPartNumber() {
    return nextPart;
  }

  /** The open segment's parts concatenated; the next segment starts empty. */
  Buffer finishSegment() {
    Buffer segment = WireBuffers.releasableCopy(parts.stream().map(HlsPart::data).toList(), segmentBytes);
    parts.forEach(part -> WireBuffers.release(part.data()));
    parts.clear();
    segmentBytes = 0;
    return segment;
  }

  /**
   * The finished segment's tracks alone, for DASH; null when DASH is off. Call after {@link #finishSegment}
   * at every segment.
   *
   * @param discontinuous whether the segment follows a gap
   * @param wallClockMillis when its first frame came
   */
  DashSegment finishDash(long number, boolean discontinuous, long wallClockMillis) {
    if (dashVideo == null) {
      return null;
    }
    DashTrack video = take(dashVideo);
    DashTrack audio = take(dashAudio);
    if (video == null && audio == null) {
      return null;
    }
    return new DashSegment(number, dashRun, dashPeriods.periodOf(number, dashRun, discontinuous, wallClockMillis,
        video, audio), video, audio);
  }

  private static DashTrack take(SingleTrack track) {
    if (track.isEmpty()) {
      return null;
    }
    long start = track.start();
    long duration = track.end() - start;
    long shown = track.presentationStart();
    return new DashTrack(WireBuffers.releasableCopy(track.take()), start, duration, shown);
  }

  byte[] initBytes() {
    return initBytes;
  }

  long initId() {
    return initId;
  }
}
