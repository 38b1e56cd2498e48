package dev.streamedge.srt.server;

import dev.streamedge.fmp4.FlvTracks;
import dev.streamedge.fmp4.HevcSampleEntry;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.hls.ts.TsMuxer;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.PacketEncoder;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.mpegts.TsStreamType;
import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * One SRT player's MPEG-TS (ISO/IEC 13818-1), made packet by packet from the stream's FLV bodies: H.264 or
 * HEVC (Enhanced RTMP's {@code hvc1}) and AAC ({@link TsMuxer}), PAT and PMT before every keyframe so that a
 * receiver can start there, the first bytes at the first keyframe (or the first AAC frame of a stream without
 * video). Each player has its own, since continuity counters run per output. Other codecs (AV1, VP9, Opus) are
 * not carried: their packets encode to nothing. On the player's context.
 */
final class TsPlayerEncoder implements PacketEncoder, FlvTracks.Sink {

  /** PAT and PMT again after this many frames of a stream without video, where no keyframe repeats them. */
  private static final int AUDIO_FRAMES_PER_TABLES = 50;
  private static final Buffer NOTHING = Buffer.buffer(new byte[0]);

  /** The packet being encoded: a buffer of its own, handed on as it is (the player keeps slices of it). */
  private ByteBuf out;
  /** The stream's video when H.264, else null. */
  private AvcConfig avc;
  /** The stream's video when HEVC, else null. */
  private HevcParameterSets hevc;
  private AacConfig aac;
  /** The program's writer: made at the first keyframe, again when the stream's tracks change. */
  private TsMuxer muxer;
  private int audioFramesSinceTables;

  @Override
  public Buffer encode(MediaKind kind, long timestamp, ByteBuf body) {
    if (kind == MediaKind.DATA) {
      return NOTHING;
    }
    // The TS packets of a frame: its bytes, 4 of header per 184, PES header, ADTS or parameter sets, tables.
    out = Unpooled.buffer(body.readableBytes() * 188 / 184 + 3 * TsMuxer.PACKET_SIZE);
    try {
      FlvTracks.read(kind, timestamp, body, 0, this);
    } catch (MediaFormatException malformed) {
      // A frame the HLS packager would drop too: the player goes on without it.
      return NOTHING;
    }
    return out.isReadable() ? WireBuffers.wrap(out) : NOTHING;
  }

  @Override
  public void videoConfig(byte[] record, AvcConfig parsed, SampleEntry entry) {
    avc = parsed;
    hevc = null;
    if (entry instanceof HevcSampleEntry) {
      try {
        hevc = HevcParameterSets.of(record);
      } catch (MediaFormatException malformed) {
        // FlvTracks parsed the same record: not reached; the video is then left out like AV1's.
      }
    }
    if (muxer != null && muxer.videoType() != videoType()) {
      muxer = null; // video came to an audio-only program, left, or changed codec: a new program
    }
  }

  /** The TS stream type of the stream's video, null when none is carried. */
  private TsStreamType videoType() {
    return avc != null ? TsStreamType.H264 : hevc != null ? TsStreamType.H265 : null;
  }

  @Override
  public void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock)
      throws MediaFormatException {
    if (avc == null && hevc == null || !data.isReadable()) {
      return;
    }
    if (keyframe) {
      if (muxer == null) {
        muxer = new TsMuxer(videoType(), aac != null);
      }
      muxer.writeTables(out);
    } else if (muxer == null) {
      return;
    }
    if (avc != null) {
      muxer.writeVideo(out, dts, cts, keyframe, data, avc);
    } else {
      muxer.writeVideo(out, dts, cts, keyframe, data, hevc);
    }
  }

  @Override
  public void audioConfig(byte[] record, AacConfig parsed, SampleEntry entry, long frameMillis) {
    boolean carried = parsed != null && parsed.adtsCompatible();
    if (muxer != null && muxer.hasAudio() != carried) {
      muxer = null; // AAC came to a program without audio, or left: a new program
    }
    aac = carried ? parsed : null;
  }

  @Override
  public void audioFrame(long pts, ByteBuf data, int samples, long wallClock) throws MediaFormatException {
    if (aac == null || !data.isReadable()) {
      return;
    }
    if (muxer == null) {
      if (videoType() != null) {
        return; // a program with video starts at a keyframe
      }
      muxer = new TsMuxer(false, true);
      audioFramesSinceTables = AUDIO_FRAMES_PER_TABLES;
    }
    if (!muxer.hasAudio()) {
      return;
    }
    if (!muxer.hasVideo() && audioFramesSinceTables++ >= AUDIO_FRAMES_PER_TABLES) {
      muxer.writeTables(out);
      audioFramesSinceTables = 1;
    }
    muxer.writeAudio(out, pts, data, aac);
  }
}
