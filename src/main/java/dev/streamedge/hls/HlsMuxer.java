package dev.streamedge.hls;

import dev.streamedge.fmp4.FlvTracks;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.fmp4.Vp9SampleEntry;
import dev.streamedge.hls.ts.TsMuxer;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.media.codec.Vp9FrameSize;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Packages one live stream into HLS: reads its packets ({@link FlvTracks}), keeps the runs of
 * tracks, and writes each frame in every variant ({@link TsSegmentWriter}, {@link Fmp4SegmentWriter})
 * where the {@link HlsSegmenter} says, into the {@link HlsWindow} that lists and serves them. Pure:
 * packets in, segments, parts and playlist text out; used on one thread.
 *
 * <p>Tracks: those {@link FlvTracks} reads (H.264, HEVC, AV1, VP9, AAC, Opus); MPEG-TS carries the
 * H.264 and AAC ones, fMP4 all. The tracks of a run are those whose configuration (sequence header)
 * arrived before its first frame; a run with video starts at a keyframe. A track configured later
 * joins after the next {@link #discontinuity()}. A new sequence header that differs from the run's
 * ends the run (a discontinuity): the next run starts at the next keyframe with a new init segment.
 * The timeline of a new run never goes back (see {@link #runOffset}).
 */
public final class HlsMuxer {

  /** Part target when none is given. */
  public static final Duration DEFAULT_PART_TARGET = Duration.ofMillis(200);

  private final HlsSegmenter segmenter;
  private final HlsWindow window;
  private final TsSegmentWriter ts = new TsSegmentWriter();
  private final Fmp4SegmentWriter fmp4;
  /** Where {@link FlvTracks} delivers the parsed packets: this muxer through {@link MuxerTracks}, audio cut at pictures. */
  private final KeyframeHold sink;
  private final TrackConfigs configs = new TrackConfigs();
  private final long firstSequence;
  private long nextSequence;
  private long discontinuitySequence;
  private boolean discontinuityPending;
  private boolean openDiscontinuity;
  private long openWallClock;
  /** When the open segment's first frame came (its date may follow a ladder's anchor instead): DASH's Periods. */
  private long openArrival;
  /**
   * Added to the packet timestamps of the current run, so that a run whose timestamps restart
   * (a new publisher session) continues the timeline instead of running backwards.
   */
  private long offset;
  /** Where the media written so far ends, in output milliseconds. */
  private long end = Long.MIN_VALUE;
  private ProgramDateClock dates = ProgramDateClock.ARRIVAL;
  /** Encrypts the MPEG-TS segments ({@code hls.keys}); null when they go in the clear. */
  private SegmentKeys keys;

  /**
   * @param targetDuration the wanted segment duration, rounded up to whole seconds for the playlist
   * @param playlistLength segments listed in the playlist
   * @param extraSegments older segments kept for clients that loaded an older playlist
   * @param maxSegmentBytes size at which a segment is cut regardless of its duration
   * @param firstSequence the media sequence number of the first segment, at least 1 (ffmpeg 8 with
   *     -live_start_index 0 cannot load a live playlist whose segment is sequence 0)
   */
  public HlsMuxer(Duration targetDuration, int playlistLength, int extraSegments, long maxSegmentBytes,
      long firstSequence) {
    this(targetDuration, DEFAULT_PART_TARGET, playlistLength, extraSegments, maxSegmentBytes, firstSequence);
  }

  /** As above, with LL-HLS parts of {@code partTarget}. */
  public HlsMuxer(Duration targetDuration, Duration partTarget, int playlistLength, int extraSegments,
      long maxSegmentBytes, long firstSequence) {
    this(targetDuration, partTarget, playlistLength, extraSegments, maxSegmentBytes, firstSequence, false);
  }

  /** As above; with {@code dash}, each segment also carries its tracks alone ({@link HlsSegment#dash}). */
  public HlsMuxer(Duration targetDuration, Duration partTarget, int playlistLength, int extraSegments,
      long maxSegmentBytes, long firstSequence, boolean dash) {
    if (targetDuration.isNegative() || targetDuration.isZero() || playlistLength < 1 || extraSegments < 0
        || maxSegmentBytes < TsMuxer.PACKET_SIZE || firstSequence < 1 || partTarget.toMillis() < 1
        || partTarget.compareTo(targetDuration) > 0) {
      throw new IllegalArgumentException("invalid HLS muxer settings: target " + targetDuration + ", part "
          + partTarget + ", playlist " + playlistLength + ", extra " + extraSegments + ", max segment bytes "
          + maxSegmentBytes);
    }
    this.segmenter = new HlsSegmenter(targetDuration.toMillis(), maxSegmentBytes, partTarget.toMillis());
    this.window = new HlsWindow(playlistLength, extraSegments, segmenter::partTargetMillis);
    this.firstSequence = firstSequence;
    this.nextSequence = firstSequence;
    // Part names must not repeat either (a cache in front keeps them as immutable): they count from ten
    // times the first sequence number, which leaves room for ten parts per tenth of a second, where
    // HlsService starts sequences at the wall clock in tenths of a second.
    this.fmp4 = new Fmp4SegmentWriter(firstSequence * 10, dash);
    this.sink = new KeyframeHold(new MuxerTracks(this), fmp4::inRun);
  }

  /** Encrypts every MPEG-TS segment from the next with AES-128, a new key every {@code fragmentsPerKey} (0: one). */
  public void encryptTs(int fragmentsPerKey) {
    keys = new SegmentKeys(fragmentsPerKey);
  }

  /**
   * Whether segments cut their audio where the next keyframe is shown ({@link KeyframeHold}), which
   * delays each segment's end by the keyframe's composition offset: asked at each such keyframe, so a
   * stream that joins a ladder later starts at its next one. Always, unless set.
   */
  public void alignAudioCuts(BooleanSupplier whether) {
    sink.aligned(whether);
  }

  /** How segments get their EXT-X-PROGRAM-DATE-TIME; {@link ProgramDateClock#ARRIVAL} unless set. */
  public void programDates(ProgramDateClock clock) {
    this.dates = clock;
  }

  /**
   * Consumes one packet of the stream, in stream order.
   *
   * @param wallClockMillis when the packet was current, in epoch milliseconds, for
   *     EXT-X-PROGRAM-DATE-TIME
   * @throws MediaFormatException when an AVC or AAC packet is malformed; it is dropped and the muxer
   *     stays consistent
   */
  public void packet(MediaPacket packet, long wallClockMillis) throws MediaFormatException {
    FlvTracks.read(packet, wallClockMillis, sink);
  }

  /**
   * The publisher session ended: the open segment is finished, and the next one starts with
   * EXT-X-DISCONTINUITY (RFC 8216 §4.3.2.3). Codec configurations are forgotten, so the next
   * session's sequence headers must come after this call.
   */
  public void discontinuity() {
    sink.flush();
    endRun();
    configs.clear();
    discontinuityPending = nextSequence > firstSequence;
  }

  /** Finishes the open segment, if any, and ends the current run; the next frame starts a new one. */
  private void endRun() {
    if (segmenter.isOpen()) {
      finish(segmenter.openDts(), segmenter.partDts(), segmenter.segmentEnd());
      segmenter.close();
    }
    ts.endRun();
    fmp4.endRun();
  }

  /** Segments finished so far, including those no longer kept. */
  public long segmentsFinished() {
    return nextSequence - firstSequence;
  }

  /** Whether a segment exists, so that {@link #playlist} can be rendered. */
  public boolean ready() {
    return !window.isEmpty();
  }

  /** Whether {@code variant} has a playlist; see {@link HlsWindow#ready}. */
  public boolean ready(HlsVariant variant) {
    return window.ready(variant);
  }

  /** EXT-X-TARGETDURATION in seconds, 0 before the first segment. */
  public int targetDurationSeconds() {
    return segmenter.targetSeconds();
  }

  /** The LL-HLS part target a playlist states, in milliseconds: fitted to the frame rate (see {@link HlsSegmenter}). */
  public long partTargetMillis() {
    return segmenter.partTargetMillis();
  }

  /** The segments and parts listed and kept: what the playlists show and requests may fetch. */
  public HlsWindow window() {
    return window;
  }

  /** A stored segment: one of the playlist or of the extra ones kept after it. */
  public Optional<HlsSegment> segment(long sequence) {
    return window.segment(sequence);
  }

  /** Every stored segment, oldest first. */
  public List<HlsSegment> segments() {
    return window.segments();
  }

  /**
   * The live MPEG-TS playlist of the latest {@code playlistLength} segments; each URI is
   * {@code segmentUriPrefix + sequence + ".ts"}.
   *
   * @throws IllegalStateException before {@link #ready()}
   */
  public String playlist(String segmentUriPrefix) {
    return playlist(segmentUriPrefix, HlsVariant.MPEGTS);
  }

  /**
   * The live media playlist of {@code variant}, in full: segment URIs are {@code segmentUriPrefix +
   * sequence} and the variant's extension; fMP4 init segment URIs are {@code segmentUriPrefix +
   * "init-" + id + ".mp4"}, part URIs {@code segmentUriPrefix + "p" + number + ".m4s"}.
   *
   * @throws IllegalStateException before {@link #ready()}
   */
  public String playlist(String segmentUriPrefix, HlsVariant variant) {
    return window.playlist(segmenter.targetSeconds(), segmentUriPrefix, variant, false);
  }

  /** The fMP4 init segment {@code id}, while a stored segment needs it. */
  public Optional<Buffer> init(long id) {
    return window.init(id);
  }

  /** A video sequence header: a new run when it differs from the current run's. */
  void videoConfig(byte[] record, AvcConfig parsedAvc, SampleEntry entry) {
    if (fmp4.inRun() && fmp4.hasVideo() && configs.videoDiffers(record)) {
      newConfiguration();
    }
    configs.video(record, parsedAvc, entry);
  }

  void audioConfig(byte[] record, AacConfig parsedAac, SampleEntry entry, long frameMillis) {
    if (fmp4.inRun() && fmp4.hasAudio() && configs.audioDiffers(record)) {
      newConfiguration();
    }
    configs.audio(record, parsedAac, entry, frameMillis);
  }

  void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock)
      throws MediaFormatException {
    if (configs.videoEntry() == null || !data.isReadable()) {
      return;
    }
    boolean newRun = !fmp4.inRun();
    TsMuxer muxer = ts.current();
    long runOffset = offset;
    if (newRun) {
      if (!keyframe) {
        return;
      }
      if (configs.videoEntry() instanceof Vp9SampleEntry vp9) {
        // Throws before anything changes when the keyframe's header is unreadable.
        Vp9FrameSize size = Vp9FrameSize.parse(data);
        configs.videoEntry(vp9.withSize(size.width(), size.height()));
      }
      muxer = TsSegmentWriter.forRun(configs.avc(), configs.aac());
      runOffset = runOffset(dts);
    } else if (!fmp4.hasVideo()) {
      return;
    }
    long time = dts + runOffset;
    // Throws before anything changes, so a run never starts with a broken frame.
    ts.encodeVideo(muxer, time, cts, keyframe, data, configs.avc());
    if (newRun) {
      startRun(muxer, true, configs.audioEntry() != null);
    }
    offset = runOffset;
    cue(time, dts + cts, keyframe, wallClock, HlsSegmenter.DEFAULT_INTERVAL_MILLIS);
    ts.commitFrame();
    fmp4.video(time, cts, keyframe, data, configs.avc());
    end = Math.max(end, time + segmenter.cueInterval());
  }

  void audioFrame(long pts, ByteBuf data, int samples, long wallClock) throws MediaFormatException {
    if (configs.audioEntry() == null || !data.isReadable()) {
      return;
    }
    boolean newRun = !fmp4.inRun();
    TsMuxer muxer = ts.current();
    long runOffset = offset;
    if (newRun) {
      if (configs.videoEntry() != null) {
        return; // a run with video starts at a keyframe
      }
      muxer = configs.aac() != null ? new TsMuxer(false, true) : null;
      runOffset = runOffset(pts);
    } else if (!fmp4.hasAudio()) {
      return;
    }
    long time = pts + runOffset;
    ts.encodeAudio(muxer, time, data, configs.aac());
    if (newRun) {
      startRun(muxer, false, true);
    }
    offset = runOffset;
    if (!fmp4.hasVideo()) {
      cue(time, pts, true, wallClock, configs.audioFrameMillis());
    }
    ts.commitFrame();
    fmp4.audio(time, data, samples);
    end = Math.max(end, time + samples * 1000L / configs.audioEntry().timescale());
  }

  /**
   * A track's configuration changed within a run: the open segment ends, and a new run (with a new
   * fMP4 init segment) starts at the next keyframe, after a discontinuity.
   */
  private void newConfiguration() {
    endRun();
    discontinuityPending = true;
  }

  /** Starts a run: its MPEG-TS writer ({@code muxer}, null when TS carries none of its tracks) and fMP4 writer. */
  private void startRun(TsMuxer muxer, boolean withVideo, boolean withAudio) {
    ts.startRun(muxer);
    fmp4.startRun(withVideo ? configs.videoEntry() : null, withVideo ? configs.avc() : null,
        withAudio ? configs.audioEntry() : null,
        nextSequence);
  }

  /**
   * The offset for a run starting at {@code timestamp}: none, unless that would put it before the
   * end of the previous run. The discontinuity tag (RFC 8216 §4.3.2.3) permits timestamps to jump, but
   * clients that merge runs into one timeline (ffmpeg, for one) fail when they run backwards.
   */
  private long runOffset(long timestamp) {
    return end == Long.MIN_VALUE ? 0 : Math.max(0, end - timestamp);
  }

  /**
   * At a frame of the cue track, shown at {@code presented} (what dates a segment: a ladder's renditions may
   * reorder frames otherwise, B-frames): ends the open part or segment before it where the segmenter says.
   */
  private void cue(long dts, long presented, boolean syncPoint, long wallClock, long defaultInterval) {
    long segmentStart = segmenter.openDts();
    long partStart = segmenter.partDts();
    long bytes = Math.max(ts.segmentBytes(), segmenter.isOpen() ? fmp4.segmentBytes() : 0);
    switch (segmenter.cue(dts, syncPoint, bytes, defaultInterval)) {
      case FIRST -> start(dates.dateOf(presented, wallClock), wallClock);
      case PART -> {
        HlsPart part = fmp4.finishPart(nextSequence, dts - partStart, dts);
        if (part != null) {
          window.addPart(part, fmp4.nextPartNumber());
        }
      }
      case SEGMENT -> {
        finish(segmentStart, partStart, dts);
        start(dates.dateOf(presented, wallClock), wallClock);
      }
      case GAP -> {
        // Time ran backwards, or jumped so far that the segment cannot end here: it ends after its
        // last frame, and the timeline is discontinuous.
        finish(segmenter.openDts(), segmenter.partDts(), segmenter.segmentEnd());
        discontinuityPending = true;
        segmenter.begin(dts);
        start(dates.dateOf(presented, wallClock), wallClock);
      }
      case NONE -> {
      }
    }
  }

  private void start(long wallClock, long arrival) {
    openArrival = arrival;
    ts.startSegment();
    openWallClock = wallClock;
    openDiscontinuity = discontinuityPending;
    discontinuityPending = false;
    window.open(nextSequence, openDiscontinuity, fmp4.initId(), wallClock, fmp4.nextPartNumber());
  }

  /** Finishes the open segment, which started at {@code startDts} and whose last part started at {@code partDts}. */
  private void finish(long startDts, long partDts, long endDts) {
    long duration = Math.max(0, endDts - startDts);
    if (openDiscontinuity) {
      discontinuitySequence++;
    }
    long sequence = nextSequence++;
    HlsPart last = fmp4.finishPart(sequence, Math.max(0, endDts - partDts), endDts);
    if (last != null) {
      window.addPart(last, fmp4.nextPartNumber());
    }
    Buffer fmp4Segment = fmp4.finishSegment();
    // A segment TS carries none of (AV1, Opus) stays empty, unencrypted and without a key.
    HlsKey key = keys == null || ts.segmentBytes() == 0 ? null : keys.keyFor(sequence);
    window.add(new HlsSegment(sequence, discontinuitySequence, openDiscontinuity, duration, openWallClock,
        ts.finishSegment(keys, key, sequence), fmp4Segment, fmp4.initId(), new SegmentFile(),
        fmp4.finishDash(sequence, openDiscontinuity, openArrival), key), fmp4.initBytes());
    segmenter.finished(duration);
  }
}
