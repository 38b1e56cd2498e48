package dev.streamedge.hls;

import dev.streamedge.fmp4.FlvTracks;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;

/** Hands what {@link FlvTracks} reads to an {@link HlsMuxer}, which keeps its own handlers out of its public API. */
final class MuxerTracks implements FlvTracks.Sink {

  private final HlsMuxer muxer;

  MuxerTracks(HlsMuxer muxer) {
    this.muxer = muxer;
  }

  @Override
  public void videoConfig(byte[] record, AvcConfig avc, SampleEntry entry) {
    muxer.videoConfig(record, avc, entry);
  }

  @Override
  public void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock)
      throws MediaFormatException {
    muxer.videoFrame(dts, cts, keyframe, data, wallClock);
  }

  @Override
  public void audioConfig(byte[] record, AacConfig aac, SampleEntry entry, long frameMillis) {
    muxer.audioConfig(record, aac, entry, frameMillis);
  }

  @Override
  public void audioFrame(long pts, ByteBuf data, int samples, long wallClock) throws MediaFormatException {
    muxer.audioFrame(pts, data, samples, wallClock);
  }
}
