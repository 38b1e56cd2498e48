package dev.streamedge.mpegts;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;

/**
 * Turns the PES frames of a {@link TsDemuxer} into the FLV tag bodies an RTMP publisher would send
 * for the same media (FLV spec v10.1 §E.4.2.1 and §E.4.3.1, Enhanced RTMP for H.265), as ffmpeg's FLV
 * muxer writes them from a transport stream with {@code -c copy}: H.264 access units as AVCVIDEOPACKETs
 * with four-byte NAL lengths after an AVC sequence header, H.265 ones as {@code hvc1} coded frames
 * after a sequence start, each ADTS frame as a raw AAC packet after an AAC sequence header. A sequence header is sent when the parameter sets or the ADTS configuration first appear
 * and whenever they change.
 *
 * <p>Timestamps are milliseconds of the DTS relative to the first DTS of either track ({@link
 * TsClock}); a video frame's composition time is its PTS in milliseconds minus its DTS in milliseconds,
 * so that a player's PTS lands where ffmpeg's rounding puts it.
 *
 * <p>Malformed frames never throw: they are counted and skipped. Video before the first sequence
 * header is dropped (no decoder could read it). Holds nothing between frames but the current parameter sets and configuration. Not thread-safe.
 */
public final class FlvFromTs implements TsDemuxer.Listener {

  /** Receives each FLV tag body, in order. */
  public interface Listener {
    /**
     * One tag body.
     *
     * @param timestampMs unsigned 32-bit milliseconds, as an RTMP message timestamp
     * @param flvBody an unpooled heap buffer of this body alone, the receiver's to keep (it needs no
     *     release)
     */
    void media(MediaKind kind, long timestampMs, ByteBuf flvBody);
  }

  private final TsClock clock = new TsClock();
  private final AvcToFlv avc;
  private final HevcToFlv hevc;
  private final AdtsToFlv aac;

  public FlvFromTs(Listener listener) {
    this.avc = new AvcToFlv(listener);
    this.hevc = new HevcToFlv(listener);
    this.aac = new AdtsToFlv(listener);
  }

  @Override
  public void frame(TsFrame frame) {
    switch (frame.type()) {
      case H264, H265 -> {
        long dts = clock.unwrap(frame.dts90k());
        long pts = TsClock.unwrapPts(frame.pts90k(), frame.dts90k(), dts);
        long dtsMs = clock.millis(dts);
        if (frame.type() == TsStreamType.H264) {
          avc.frame(frame.data(), dtsMs, clock.millis(pts) - dtsMs);
        } else {
          hevc.frame(frame.data(), dtsMs, clock.millis(pts) - dtsMs);
        }
      }
      case AAC_ADTS -> aac.frame(frame.data(), clock, clock.unwrap(frame.dts90k()));
    }
  }

  /** Video frames dropped because no SPS and PPS had come yet. */
  public long videoBeforeSequenceHeader() {
    return avc.beforeSequenceHeader() + hevc.beforeSequenceHeader();
  }

  /** Frames or parts of frames that did not parse: parameter sets, ADTS headers; skipped. */
  public long malformed() {
    return avc.malformed() + hevc.malformed() + aac.malformed();
  }

  /** ADTS frames FLV gets no body for here: with a PCE (channel configuration 0) or several raw data blocks. */
  public long unsupportedFrames() {
    return aac.unsupported();
  }
}
