package dev.streamedge.record;

import dev.streamedge.fmp4.FlvTracks;
import dev.streamedge.fmp4.Fmp4Muxer;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.fmp4.Vp9SampleEntry;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.media.codec.Vp9FrameSize;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Collection;

/**
 * Fragmented MP4 (ISO/IEC 14496-12 §8.8) through the fMP4 writer HLS uses: the init segment
 * ({@code ftyp} + {@code moov}) at the first frame, then a {@code moof} + {@code mdat} fragment as soon
 * as {@value #FRAGMENT_MILLIS} ms of media (or {@code maxFragmentBytes}) have gathered. Nothing comes
 * after the last fragment, so the file plays up to its last whole fragment at any moment: a crash
 * loses at most the fragment being gathered.
 *
 * <p>Tracks: those {@link FlvTracks} reads (H.264, HEVC, AV1, VP9, AAC, Opus) whose configuration came
 * before the first frame; a file with video starts at a keyframe. The init segment fixes the codec
 * configurations ({@code avc1} keeps parameter sets out of band), so a configuration that changes
 * asks for a new file ({@link #needsNewFile}); a track configured only after the first frame is not
 * recorded in this file. Other codecs are not recorded in fMP4 (FLV takes any).
 */
final class Fmp4Encoder implements RecordingEncoder, FlvTracks.Sink {

  /** How much media a fragment gathers: what a crash may lose, besides what the disk had not taken. */
  static final long FRAGMENT_MILLIS = 500;
  /** Frame interval assumed for the last video frame before two frames have been seen: 25 fps. */
  private static final long DEFAULT_INTERVAL_MILLIS = 40;
  /** A larger step between frames is a gap, not a frame rate. */
  private static final long MAX_INTERVAL_MILLIS = 1000;

  private final long maxFragmentBytes;
  private SampleEntry videoEntry;
  private SampleEntry audioEntry;
  /** The sequence headers' bodies, to tell a new configuration from a repeated one. */
  private byte[] videoRecord;
  private byte[] audioRecord;
  /** The writer of the file's tracks; null before the first frame. */
  private Fmp4Muxer muxer;
  private boolean changed;
  /** The packet being read: its time in the file and where its bytes go. */
  private long time;
  private ByteBuf out;
  private long sequence = 1;
  private long fragmentStart;
  private long lastVideo = -1;
  private long videoInterval = DEFAULT_INTERVAL_MILLIS;

  /** @param maxFragmentBytes a fragment ends once it holds this many bytes of media, whatever its duration */
  Fmp4Encoder(long maxFragmentBytes) {
    this.maxFragmentBytes = maxFragmentBytes;
  }

  @Override
  public void start(Collection<MediaPacket> configs, ByteBuf out) {
    for (MediaPacket config : configs) {
      packet(config, 0, out);
    }
  }

  /** @throws IllegalArgumentException when the packet is malformed (ffmpeg would not decode it either) */
  @Override
  public void packet(MediaPacket packet, long fileTime, ByteBuf out) {
    this.time = fileTime;
    this.out = out;
    try {
      FlvTracks.read(packet, 0, this);
    } catch (MediaFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } finally {
      this.out = null;
    }
  }

  @Override
  public void finish(ByteBuf out) {
    if (muxer != null && muxer.hasSamples()) {
      out.writeBytes(muxer.fragment(sequence++, lastVideo < 0 ? 0 : lastVideo + videoInterval));
    }
  }

  @Override
  public boolean needsNewFile() {
    return changed;
  }

  @Override
  public void videoConfig(byte[] record, AvcConfig avc, SampleEntry entry) {
    if (muxer != null) {
      changed |= muxer.hasVideo() && !Arrays.equals(record, videoRecord);
      return;
    }
    videoEntry = entry;
    videoRecord = record;
  }

  @Override
  public void audioConfig(byte[] record, AacConfig aac, SampleEntry entry, long frameMillis) {
    if (muxer != null) {
      changed |= muxer.hasAudio() && !Arrays.equals(record, audioRecord);
      return;
    }
    audioEntry = entry;
    audioRecord = record;
  }

  @Override
  public void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock)
      throws MediaFormatException {
    if (videoEntry == null || !data.isReadable() || changed) {
      return;
    }
    if (muxer == null) {
      if (!keyframe) {
        return;
      }
      if (videoEntry instanceof Vp9SampleEntry vp9) {
        // vpcC has no picture size: it comes from the first keyframe's header.
        Vp9FrameSize size = Vp9FrameSize.parse(data);
        videoEntry = vp9.withSize(size.width(), size.height());
      }
      begin(videoEntry, audioEntry);
    } else if (!muxer.hasVideo()) {
      return;
    }
    if (lastVideo >= 0 && time > lastVideo && time - lastVideo <= MAX_INTERVAL_MILLIS) {
      videoInterval = time - lastVideo;
    }
    cut(time);
    muxer.video(time, cts, keyframe, null, data);
    lastVideo = time;
  }

  @Override
  public void audioFrame(long pts, ByteBuf data, int samples, long wallClock) {
    if (audioEntry == null || !data.isReadable() || changed) {
      return;
    }
    if (muxer == null) {
      if (videoEntry != null) {
        return; // a file with video starts at a keyframe
      }
      begin(null, audioEntry);
    } else if (!muxer.hasAudio()) {
      return;
    }
    if (!muxer.hasVideo()) {
      cut(time);
    }
    muxer.audio(time, data, samples);
  }

  private void begin(SampleEntry video, SampleEntry audio) {
    muxer = new Fmp4Muxer(video, audio, -1);
    out.writeBytes(muxer.init());
    fragmentStart = time;
  }

  /**
   * Ends the fragment before a frame at {@code at} of the track that times the fragments (video, or
   * audio without video) once it holds enough media.
   */
  private void cut(long at) {
    if (muxer.hasSamples() && (at - fragmentStart >= FRAGMENT_MILLIS || muxer.pendingBytes() >= maxFragmentBytes)) {
      out.writeBytes(muxer.fragment(sequence++, at));
      fragmentStart = at;
    }
  }
}
