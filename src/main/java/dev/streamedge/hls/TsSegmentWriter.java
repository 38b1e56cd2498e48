package dev.streamedge.hls;

import dev.streamedge.hls.ts.TsMuxer;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * The MPEG-TS variant ({@link HlsVariant#MPEGTS}) of the segments of a stream: the H.264 and AAC
 * tracks of a run, each segment opening with PAT and PMT. Told where to cut by {@link HlsMuxer}.
 * A frame is encoded before the muxer commits to it ({@link #encodeVideo}), so a malformed frame
 * throws before anything changes. Used on one thread.
 */
final class TsSegmentWriter {

  private final ByteBuf frame = Unpooled.buffer();
  /** The writer of the current run; null between runs, or when TS carries none of its tracks. */
  private TsMuxer ts;
  /**
   * The segment being written, and the next one: a buffer of a few hundred kilobytes made anew for each
   * segment would outlive a young collection and be copied into the old generation, which then grows
   * with the garbage (most of a quiet node's heap growth, measured).
   */
  private final ByteBuf open = Unpooled.buffer();
  private boolean segmentOpen;

  /** A writer for a run with these tracks, or null when TS carries none of them. */
  static TsMuxer forRun(AvcConfig avc, AacConfig aac) {
    return avc != null || aac != null ? new TsMuxer(avc != null, aac != null) : null;
  }

  /** The TS writer of the current run, null between runs or when TS carries none of its tracks. */
  TsMuxer current() {
    return ts;
  }

  /** Encodes a video frame into the scratch buffer, throwing before anything changes. */
  void encodeVideo(TsMuxer muxer, long time, int cts, boolean keyframe, ByteBuf data, AvcConfig avc)
      throws MediaFormatException {
    frame.clear();
    if (muxer != null && muxer.hasVideo()) {
      muxer.writeVideo(frame, time, cts, keyframe, data, avc);
    }
  }

  /** Encodes an audio frame into the scratch buffer, throwing before anything changes. */
  void encodeAudio(TsMuxer muxer, long time, ByteBuf data, AacConfig aac) throws MediaFormatException {
    frame.clear();
    if (muxer != null && muxer.hasAudio()) {
      muxer.writeAudio(frame, time, data, aac);
    }
  }

  void startRun(TsMuxer muxer) {
    ts = muxer;
  }

  void endRun() {
    ts = null;
  }

  /** Opens a segment: PAT and PMT first, so that each segment decodes on its own. */
  void startSegment() {
    open.clear();
    segmentOpen = true;
    if (ts != null) {
      ts.writeTables(open);
    }
  }

  /** Appends the frame last encoded to the open segment. */
  void commitFrame() {
    open.writeBytes(frame);
  }

  int segmentBytes() {
    return segmentOpen ? open.readableBytes() : 0;
  }

  /**
   * Closes the open segment and returns it (empty when TS carries none of the run's tracks), encrypted with
   * {@code key} as segment {@code sequence} when there is one.
   */
  Buffer finishSegment(SegmentKeys keys, HlsKey key, long sequence) {
    Buffer segment = key == null ? WireBuffers.releasableCopy(open) : keys.encrypt(open, key, sequence);
    segmentOpen = false;
    open.clear();
    return segment;
  }
}
