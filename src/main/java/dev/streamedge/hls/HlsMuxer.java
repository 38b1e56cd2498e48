package dev.streamedge.hls;

import dev.streamedge.fmp4.AvcSampleEntry;
import dev.streamedge.fmp4.FlvTracks;
import dev.streamedge.fmp4.Fmp4Muxer;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.fmp4.Vp9SampleEntry;
import dev.streamedge.hls.ts.TsMuxer;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.media.codec.Vp9FrameSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cuts the packets of one live stream into segments, each written as MPEG-TS and as an fMP4
 * fragment ({@link HlsVariant}), and keeps the latest of them for a live
 * HLS playlist (RFC 8216). Pure: packets in, segments and playlist text out; used on one thread.
 *
 * <p>Tracks: those {@link FlvTracks} reads (H.264, HEVC, AAC, Opus); MPEG-TS carries the H.264 and
 * AAC ones, fMP4 all. The tracks of a segment run are those
 * whose configuration (sequence header) arrived before its first frame; a run with video starts
 * at a keyframe. A track configured later joins after the next {@link #discontinuity()}.
 *
 * <p>Cutting (RFC 8216 §6.2.1): a segment ends at the first keyframe (any audio frame without video)
 * at which the configured target duration has passed, within one frame. The target duration in the
 * playlist is fixed by the first segment as the larger of the configured target and that segment's
 * duration rounded up, and never changes (§6.2.1). When the keyframes are further apart than that,
 * a segment is cut at the frame beyond which it would round above the target (§4.3.3.1), so such a
 * segment does not start with a keyframe. A segment is also cut once it holds
 * {@code maxSegmentBytes}, so it exceeds that by at most one frame interval of media.
 *
 * <p>fMP4: a run has one init segment, which a new run reuses when its codec configurations are
 * the same. A new sequence header that differs from the run's ends the run (a
 * discontinuity): the next run starts at the next keyframe with a new init segment, as {@code avc1}
 * keeps parameter sets out of band. The timeline of a new run never goes back (see
 * {@link #runOffset}), so {@code tfdt} only grows within a packager's life.
 */
public final class HlsMuxer {

  /** §4.3.3.1: an EXTINF rounded to the nearest integer must not exceed the target duration. */
  private static final long ROUNDING_MILLIS = 500;
  /** Frame interval assumed before two frames have been seen: 25 fps. */
  private static final long DEFAULT_INTERVAL_MILLIS = 40;
  /** A larger step between frames is a gap, not a frame rate. */
  private static final long MAX_INTERVAL_MILLIS = 1000;

  private final long targetMillis;
  private final int configuredTargetSeconds;
  private final long maxSegmentBytes;
  private final HlsWindow window;
  private final ByteBuf frame = Unpooled.buffer();
  /** Where {@link FlvTracks} delivers the parsed packets: this muxer's track handlers. */
  private final FlvTracks.Sink sink = new FlvTracks.Sink() {
    @Override
    public void videoConfig(byte[] record, AvcConfig avc, SampleEntry entry) {
      HlsMuxer.this.videoConfig(record, avc, entry);
    }

    @Override
    public void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock)
        throws MediaFormatException {
      HlsMuxer.this.videoFrame(dts, cts, keyframe, data, wallClock);
    }

    @Override
    public void audioConfig(byte[] record, AacConfig aac, SampleEntry entry, long frameMillis) {
      HlsMuxer.this.audioConfig(record, aac, entry, frameMillis);
    }

    @Override
    public void audioFrame(long pts, ByteBuf data, int samples, long wallClock) throws MediaFormatException {
      HlsMuxer.this.audioFrame(pts, data, samples, wallClock);
    }
  };

  private AvcConfig avc;
  private AacConfig aac;
  /** The current video and audio tracks for fMP4, of any codec; avc and aac are their H.264 and AAC. */
  private SampleEntry videoEntry;
  private SampleEntry audioEntry;
  /** The sequence headers' bodies, to tell a new configuration from a repeated one. */
  private byte[] videoRecord;
  private byte[] audioRecord;
  private long audioFrameMillis;
  /**
   * SPS and PPS of {@link #avc}, written in band before the first keyframe of a run whose init
   * segment replaced another: ffmpeg's HLS demuxer keeps the first init's configuration across an
   * EXT-X-MAP change, and decodes the new picture size from these (ISO/IEC 14496-15 §5.3.2 lets
   * {@code avc1} samples carry parameter sets). Only there: Chromium stalls briefly at each segment
   * that repeats them.
   */
  private byte[] parameterSets;
  private boolean parameterSetsPending;
  /** The fMP4 side of the current run; null between runs. */
  private Fmp4Muxer fmp4;
  /** The init segment of the current (or last) run and its id: the sequence of its first segment. */
  private byte[] initBytes;
  private long initId;
  /** Where the last run's audio ended, and in which timescale: the next run's audio starts there. */
  private long audioEnd = -1;
  private int audioEndScale;
  /** The MPEG-TS writer of the current run; null between runs, or when TS carries none of its tracks. */
  private TsMuxer ts;
  /** 0 until the first segment is finished; then the EXT-X-TARGETDURATION for good. */
  private int targetSeconds;
  private final long firstSequence;
  private long nextSequence;
  private long discontinuitySequence;
  private boolean discontinuityPending;

  /** The segment being written, null when none is open. */
  private ByteBuf open;
  private boolean openDiscontinuity;
  private long openDts;
  private long openWallClock;
  /**
   * Added to the packet timestamps of the current run, so that a run whose timestamps restart
   * (a new publisher session) continues the timeline instead of running backwards.
   */
  private long offset;
  /** Where the media written so far ends, in output milliseconds. */
  private long end = Long.MIN_VALUE;
  /** DTS of the last frame of the track that decides the cuts (video, or audio without video). */
  private long lastCueDts;
  private long cueInterval;

  /**
   * @param targetDuration the wanted segment duration, rounded up to whole seconds for the playlist
   * @param playlistLength segments listed in the playlist
   * @param extraSegments older segments kept for clients that loaded an older playlist
   * @param maxSegmentBytes size at which a segment is cut regardless of its duration
   */
  /**
   * @param firstSequence the media sequence number of the first segment, at least 1 (ffmpeg 8 with
   *     -live_start_index 0 cannot load a live playlist whose segment is sequence 0)
   */
  public HlsMuxer(Duration targetDuration, int playlistLength, int extraSegments, long maxSegmentBytes,
      long firstSequence) {
    if (targetDuration.isNegative() || targetDuration.isZero() || playlistLength < 1 || extraSegments < 0
        || maxSegmentBytes < TsMuxer.PACKET_SIZE || firstSequence < 1) {
      throw new IllegalArgumentException("invalid HLS muxer settings: target " + targetDuration + ", playlist "
          + playlistLength + ", extra " + extraSegments + ", max segment bytes " + maxSegmentBytes);
    }
    this.targetMillis = targetDuration.toMillis();
    this.configuredTargetSeconds = (int) Math.max(1, (targetMillis + 999) / 1000);
    this.window = new HlsWindow(playlistLength, extraSegments);
    this.maxSegmentBytes = maxSegmentBytes;
    this.firstSequence = firstSequence;
    this.nextSequence = firstSequence;
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
    if (open != null) {
      finish(lastCueDts + cueInterval);
    }
    endRun();
    avc = null;
    aac = null;
    videoEntry = null;
    audioEntry = null;
    videoRecord = null;
    audioRecord = null;
    discontinuityPending = nextSequence > firstSequence;
  }

  /** Ends the current run; the next frame starts a new one. */
  private void endRun() {
    if (fmp4 != null && fmp4.hasAudio()) {
      audioEnd = fmp4.audioEnd();
      audioEndScale = fmp4.audioTimescale();
    }
    ts = null;
    fmp4 = null;
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
    return targetSeconds;
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
   * The live media playlist of {@code variant}: segment URIs are {@code segmentUriPrefix + sequence}
   * and the variant's extension; fMP4 init segment URIs are {@code segmentUriPrefix + "init-" + id +
   * ".mp4"}.
   *
   * @throws IllegalStateException before {@link #ready()}
   */
  public String playlist(String segmentUriPrefix, HlsVariant variant) {
    return window.playlist(targetSeconds, segmentUriPrefix, variant);
  }

  /** The fMP4 init segment {@code id}, while a stored segment needs it. */
  public Optional<Buffer> init(long id) {
    return window.init(id);
  }

  /** A video sequence header: a new run when it differs from the current run's. */
  private void videoConfig(byte[] record, AvcConfig parsedAvc, SampleEntry entry) {
    if (fmp4 != null && fmp4.hasVideo() && !Arrays.equals(record, videoRecord)) {
      newConfiguration();
    }
    avc = parsedAvc;
    videoEntry = entry;
    videoRecord = record;
  }

  private void audioConfig(byte[] record, AacConfig parsedAac, SampleEntry entry, long frameMillis) {
    if (fmp4 != null && fmp4.hasAudio() && !Arrays.equals(record, audioRecord)) {
      newConfiguration();
    }
    aac = parsedAac;
    audioEntry = entry;
    audioRecord = record;
    audioFrameMillis = frameMillis;
  }

  private void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock)
      throws MediaFormatException {
    if (videoEntry == null || !data.isReadable()) {
      return;
    }
    boolean newRun = fmp4 == null;
    TsMuxer muxer = ts;
    long runOffset = offset;
    if (newRun) {
      if (!keyframe) {
        return;
      }
      if (videoEntry instanceof Vp9SampleEntry vp9) {
        // Throws before anything changes when the keyframe's header is unreadable.
        Vp9FrameSize size = Vp9FrameSize.parse(data);
        videoEntry = vp9.withSize(size.width(), size.height());
      }
      // MPEG-TS carries the run's H.264 and AAC; fMP4 every track.
      muxer = avc != null || aac != null ? new TsMuxer(avc != null, aac != null) : null;
      runOffset = runOffset(dts);
    } else if (!fmp4.hasVideo()) {
      return;
    }
    long time = dts + runOffset;
    frame.clear();
    if (muxer != null && muxer.hasVideo()) {
      // Throws before anything changes, so a run never starts with a broken frame.
      muxer.writeVideo(frame, time, cts, keyframe, data, avc);
    }
    if (newRun) {
      startRun(muxer, true, audioEntry != null);
    }
    offset = runOffset;
    cue(time, keyframe, wallClock);
    open.writeBytes(frame);
    boolean inBand = parameterSetsPending && keyframe && avc != null
        && !AvcSampleEntry.startsWithSps(data, avc.nalLengthSize());
    fmp4.video(time, cts, keyframe, inBand ? parameterSets : null, data);
    parameterSetsPending &= !keyframe;
    end = Math.max(end, time + cueInterval);
  }

  private void audioFrame(long pts, ByteBuf data, int samples, long wallClock) throws MediaFormatException {
    if (audioEntry == null || !data.isReadable()) {
      return;
    }
    boolean newRun = fmp4 == null;
    TsMuxer muxer = ts;
    long runOffset = offset;
    if (newRun) {
      if (videoEntry != null) {
        return; // a run with video starts at a keyframe
      }
      muxer = aac != null ? new TsMuxer(false, true) : null;
      runOffset = runOffset(pts);
    } else if (!fmp4.hasAudio()) {
      return;
    }
    long time = pts + runOffset;
    frame.clear();
    if (muxer != null && muxer.hasAudio()) {
      muxer.writeAudio(frame, time, data, aac);
    }
    if (newRun) {
      startRun(muxer, false, true);
    }
    offset = runOffset;
    if (!fmp4.hasVideo()) {
      cue(time, true, wallClock);
    }
    open.writeBytes(frame);
    fmp4.audio(time, data, samples);
    end = Math.max(end, time + samples * 1000L / audioEntry.timescale());
  }

  /**
   * A track's configuration changed within a run: the open segment ends, and a new run (with a new
   * fMP4 init segment) starts at the next keyframe, after a discontinuity.
   */
  private void newConfiguration() {
    if (open != null) {
      finish(lastCueDts + cueInterval);
    }
    endRun();
    discontinuityPending = true;
  }

  /**
   * Starts a run: its MPEG-TS writer ({@code muxer}, null when TS carries none of its tracks), its
   * fMP4 writer and init segment.
   */
  private void startRun(TsMuxer muxer, boolean withVideo, boolean withAudio) {
    ts = muxer;
    if (withVideo && avc != null) {
      parameterSets = AvcSampleEntry.inBandParameterSets(avc.sps(), avc.pps(), avc.nalLengthSize());
    }
    SampleEntry audio = withAudio ? audioEntry : null;
    long audioStart = audioEnd < 0 || audio == null ? -1 : audioEnd * audio.timescale() / audioEndScale;
    fmp4 = new Fmp4Muxer(withVideo ? videoEntry : null, audio, audioStart);
    if (initBytes == null || !Arrays.equals(initBytes, fmp4.init())) {
      parameterSetsPending = initBytes != null && withVideo;
      initBytes = fmp4.init();
      initId = nextSequence;
    }
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
   * Decides, at a frame of the cue track, whether the open segment ends before it, and opens the
   * next one if so.
   */
  private void cue(long dts, boolean syncPoint, long wallClock) {
    if (open == null) {
      start(dts, wallClock);
      return;
    }
    long elapsed = dts - openDts;
    long limit = targetSeconds * 1000L + ROUNDING_MILLIS;
    if (dts < lastCueDts || targetSeconds > 0 && elapsed >= limit) {
      // Time ran backwards, or jumped so far that the segment cannot end here: it ends after its
      // last frame, and the timeline is discontinuous.
      finish(lastCueDts + cueInterval);
      discontinuityPending = true;
      start(dts, wallClock);
      return;
    }
    if (dts > lastCueDts && dts - lastCueDts <= MAX_INTERVAL_MILLIS) {
      cueInterval = dts - lastCueDts;
    }
    boolean targetReached = syncPoint && elapsed + cueInterval > targetMillis;
    boolean wouldExceed = targetSeconds > 0 && elapsed + cueInterval >= limit;
    boolean full = elapsed > 0 && Math.max(open.readableBytes(), fmp4.pendingBytes()) >= maxSegmentBytes;
    if (targetReached || wouldExceed || full) {
      finish(dts);
      start(dts, wallClock);
    } else {
      lastCueDts = dts;
    }
  }

  private void start(long dts, long wallClock) {
    open = Unpooled.buffer();
    if (ts != null) {
      ts.writeTables(open);
    }
    openDts = dts;
    openWallClock = wallClock;
    openDiscontinuity = discontinuityPending;
    discontinuityPending = false;
    lastCueDts = dts;
    if (cueInterval == 0) {
      cueInterval = fmp4.hasVideo() ? DEFAULT_INTERVAL_MILLIS : audioFrameMillis;
    }
  }

  private void finish(long endDts) {
    long duration = Math.max(0, endDts - openDts);
    if (openDiscontinuity) {
      discontinuitySequence++;
    }
    long sequence = nextSequence++;
    Buffer fragment = Buffer.buffer(fmp4.fragment(sequence, endDts));
    window.add(new HlsSegment(sequence, discontinuitySequence, openDiscontinuity, duration,
        openWallClock, Buffer.buffer(ByteBufUtil.getBytes(open)), fragment, initId), initBytes);
    if (targetSeconds == 0) {
      targetSeconds = (int) Math.max(configuredTargetSeconds, (duration + 999) / 1000);
    }
    open = null;
  }
}
