package dev.streamedge.rtp;

import dev.streamedge.fmp4.FlvTracks;
import dev.streamedge.fmp4.HevcSampleEntry;
import dev.streamedge.fmp4.SampleEntry;
import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One RTSP player's RTP over TCP, made packet by packet from the stream's FLV bodies: H.264 ({@link
 * H264Packetizer}) or H.265 ({@link H265Packetizer}) on the video channel from the first keyframe on, AAC ({@link
 * AacPacketizer}) on the audio channel from its configuration on, or G.711 as it comes when the audio track was
 * described as G.711 (its payload type 0 or 8). Other codecs (AV1, VP9, Opus) are not carried:
 * their packets encode to nothing, as do configurations and tracks the player did not set up. Keeps the latest
 * configurations, for the session description, and each track's counts, for sender reports. Each player has its
 * own: sequence numbers, SSRCs and timestamp offsets are the player's. Not thread-safe; on the player's context.
 */
public final class RtpTrackEncoder implements FlvTracks.Sink {

  /**
   * How the player set a track up.
   *
   * @param channel the interleaved channel of its RTP, -1 when the player did not set the track up
   * @param ssrc 32 bits
   * @param initialSequence the first packet's sequence number, 16 bits
   * @param initialTimestamp the RTP timestamp of media time 0, 32 bits
   */
  public record Setup(int channel, long ssrc, int initialSequence, long initialTimestamp) {

    /** A track the player did not set up. */
    public static final Setup NONE = new Setup(-1, 0, 0, 0);

    public Setup {
      if (channel < -1 || channel > 0xFF) {
        throw new IllegalArgumentException("interleaved channel " + channel);
      }
    }
  }

  /**
   * What a sender report of a track needs: its counts, and where its RTP clock was at the last packet.
   *
   * @param lastTimestamp the RTP timestamp of the last packet, -1 before the first
   * @param lastWallClock the wall clock (milliseconds) passed with the FLV packet of the last RTP packet
   * @param clockRate the track's RTP clock rate, 0 while unknown
   */
  public record TrackStats(long ssrc, long packets, long octets, long lastTimestamp, long lastWallClock,
      int clockRate) {

    /** The RTP timestamp of the instant {@code wallClock}, from the last packet's; -1 before the first. */
    public long timestampAt(long wallClock) {
      if (lastTimestamp < 0 || clockRate <= 0) {
        return -1;
      }
      return (lastTimestamp + Math.floorDiv((wallClock - lastWallClock) * clockRate, 1000)) & 0xFFFF_FFFFL;
    }
  }

  private final RtpPacketWriter videoWriter;
  private final RtpPacketWriter audioWriter;
  private final RtpClock videoClock;
  private final long audioTimestampOffset;
  private final H264Packetizer h264;
  private final H265Packetizer h265;
  private final AacPacketizer aacPacketizer;
  private final int maxPayload;
  /** Whether the audio track carries G.711 (its payload type 0 or 8) rather than AAC. */
  private final boolean g711;

  /** The packet being encoded. */
  private ByteBuf out;
  private AvcConfig avc;
  private HevcParameterSets hevc;
  private AacConfig aac;
  private byte[] audioSpecificConfig;
  private RtpClock audioClock;
  /** Whether the video track has had its first keyframe (for its codec). */
  private boolean videoStarted;
  private long videoWallClock;
  private long audioWallClock;

  /** With AAC's payload type for the audio: {@link #RtpTrackEncoder(Setup, Setup, int, int)}. */
  public RtpTrackEncoder(Setup video, Setup audio, int maxPayload) {
    this(video, audio, AudioTrack.DEFAULT_PAYLOAD_TYPE, maxPayload);
  }

  /**
   * @param audioPayloadType the described audio's: AAC's dynamic one, or {@link AudioTrack#PCMU} or {@link
   *     AudioTrack#PCMA} for G.711; the audio of the other kind is left out
   * @param maxPayload the largest RTP payload written, e.g. 1400
   */
  public RtpTrackEncoder(Setup video, Setup audio, int audioPayloadType, int maxPayload) {
    videoWriter = video.channel() < 0 ? null
        : new RtpPacketWriter(video.channel(), VideoTrack.DEFAULT_PAYLOAD_TYPE, video.ssrc(), video.initialSequence());
    audioWriter = audio.channel() < 0 ? null : new RtpPacketWriter(audio.channel(),
        audioPayloadType < 0 ? AudioTrack.DEFAULT_PAYLOAD_TYPE : audioPayloadType, audio.ssrc(),
        audio.initialSequence());
    g711 = audioWriter != null && (audioWriter.payloadType() == AudioTrack.PCMU
        || audioWriter.payloadType() == AudioTrack.PCMA);
    videoClock = RtpClock.video(video.initialTimestamp());
    audioTimestampOffset = audio.initialTimestamp();
    h264 = videoWriter == null ? null : new H264Packetizer(videoWriter, maxPayload);
    h265 = videoWriter == null ? null : new H265Packetizer(videoWriter, maxPayload);
    aacPacketizer = audioWriter == null ? null : new AacPacketizer(audioWriter, maxPayload);
    this.maxPayload = maxPayload;
  }

  /** As {@link #RtpTrackEncoder(Setup, Setup, int)}, a channel of -1 for a track not set up. */
  public RtpTrackEncoder(int videoChannel, int audioChannel, long videoSsrc, long audioSsrc, int videoSequence,
      int audioSequence, long videoTimestampOffset, long audioTimestampOffset, int maxPayload) {
    this(new Setup(videoChannel, videoSsrc, videoSequence, videoTimestampOffset),
        new Setup(audioChannel, audioSsrc, audioSequence, audioTimestampOffset), maxPayload);
  }

  /** As {@link #encode(MediaKind, long, ByteBuf, long)} with a wall clock of 0. */
  public ByteBuf encode(MediaKind kind, long timestamp, ByteBuf flvBody) {
    return encode(kind, timestamp, flvBody, 0);
  }

  /**
   * The interleaved RTP packets of one FLV packet, in a buffer of their own; an empty buffer when it makes none.
   * Malformed frames make none either: the player goes on without them. {@code flvBody} is left untouched.
   *
   * @param wallClock when the packet is sent, in milliseconds, kept for {@link TrackStats#timestampAt}
   */
  public ByteBuf encode(MediaKind kind, long timestamp, ByteBuf flvBody, long wallClock) {
    if (kind == MediaKind.DATA) {
      return Unpooled.EMPTY_BUFFER;
    }
    // Sized for the frame cut into fragments (4 + 12 + 3 bytes of headers each, at most), a few more packets
    // for its other NAL units, and the parameter sets before a keyframe: written without growing the buffer.
    int body = flvBody.readableBytes();
    out = Unpooled.buffer(body + (body / (maxPayload - 3) + 8) * 19 + 512);
    try {
      FlvTracks.read(kind, timestamp, flvBody.duplicate(), wallClock, this);
    } catch (MediaFormatException malformed) {
      out = null;
      return Unpooled.EMPTY_BUFFER;
    }
    ByteBuf encoded = out;
    out = null;
    return encoded.isReadable() ? encoded : Unpooled.EMPTY_BUFFER;
  }

  @Override
  public void videoConfig(byte[] record, AvcConfig parsed, SampleEntry entry) {
    boolean wasAvc = avc != null;
    boolean wasHevc = hevc != null;
    avc = parsed;
    hevc = null;
    if (entry instanceof HevcSampleEntry) {
      try {
        hevc = HevcParameterSets.of(record);
      } catch (MediaFormatException malformed) {
        // FlvTracks parsed the same record: not reached; the video is then left out like AV1's.
      }
    }
    if (wasAvc != (avc != null) || wasHevc != (hevc != null)) {
      videoStarted = false; // another codec: its frames start at its first keyframe
    }
  }

  @Override
  public void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock)
      throws MediaFormatException {
    if (videoWriter == null || avc == null && hevc == null || !data.isReadable()) {
      return;
    }
    if (!videoStarted && !keyframe) {
      return;
    }
    long timestamp = videoClock.timestamp(dts, cts);
    boolean written = avc != null
        ? h264.frame(out, timestamp, keyframe, data, avc)
        : h265.frame(out, timestamp, keyframe, data, hevc);
    if (written) {
      videoStarted = true;
      videoWallClock = wallClock;
    }
  }

  @Override
  public void audioConfig(byte[] record, AacConfig parsed, SampleEntry entry, long frameMillis) {
    if (g711) {
      return; // the track was described as G.711: AAC's configuration and frames are not its
    }
    aac = parsed;
    audioSpecificConfig = parsed == null ? null : record;
    audioClock = parsed == null ? null : new RtpClock(parsed.sampleRate(), audioTimestampOffset);
  }

  @Override
  public void audioFrame(long pts, ByteBuf data, int samples, long wallClock) {
    if (audioWriter == null || aac == null) {
      return;
    }
    if (aacPacketizer.frame(out, audioClock.timestamp(pts), data)) {
      audioWallClock = wallClock;
    }
  }

  /**
   * A G.711 body's samples, when the track was described as G.711 of that law: packets of at most the largest
   * payload (RFC 3551 §4.5.14: any number of samples a packet), each timed by its first sample on the 8 kHz clock.
   */
  @Override
  public void g711Frame(boolean alaw, long pts, ByteBuf samples, long wallClock) {
    if (!g711 || alaw != (audioWriter.payloadType() == AudioTrack.PCMA)) {
      return;
    }
    if (audioClock == null) {
      audioClock = new RtpClock(AudioTrack.G711_CLOCK_RATE, audioTimestampOffset);
    }
    long timestamp = audioClock.timestamp(pts);
    int sent = 0;
    int size = samples.readableBytes();
    while (sent < size) {
      int length = Math.min(maxPayload, size - sent);
      // The marker is for the first packet after a silence (§4.1); a stream of frames has none.
      audioWriter.write(out, false, timestamp + sent, samples.slice(samples.readerIndex() + sent, length));
      sent += length;
    }
    audioWallClock = wallClock;
  }

  /** The stream's video for the session description, null when none is carried (none yet, AV1, VP9). */
  public VideoTrack videoTrack() {
    return avc != null ? VideoTrack.h264(avc) : hevc != null ? VideoTrack.h265(hevc) : null;
  }

  /** The stream's audio for the session description, null when none is carried (none yet, Opus). */
  public AudioTrack audioTrack() {
    return aac != null && audioSpecificConfig != null && audioSpecificConfig.length > 0
        ? AudioTrack.aac(aac, audioSpecificConfig) : null;
  }

  /** The latest H.264 configuration, null when the video is not H.264. */
  public AvcConfig avcConfig() {
    return avc;
  }

  /** The latest H.265 parameter sets, null when the video is not H.265. */
  public HevcParameterSets hevcConfig() {
    return hevc;
  }

  /** The latest AAC configuration, null when the audio is not AAC. */
  public AacConfig aacConfig() {
    return aac;
  }

  /** Whether video packets are being written: the track is set up and has had its first keyframe. */
  public boolean videoStarted() {
    return videoStarted;
  }

  /** The video track's writer (SSRC, next sequence number, counts), null when not set up. */
  public RtpPacketWriter videoWriter() {
    return videoWriter;
  }

  /** The audio track's writer, null when not set up. */
  public RtpPacketWriter audioWriter() {
    return audioWriter;
  }

  /** The video track's counts for a sender report, null when not set up. */
  public TrackStats videoStats() {
    return videoWriter == null ? null : new TrackStats(videoWriter.ssrc(), videoWriter.packets(),
        videoWriter.octets(), videoWriter.lastTimestamp(), videoWallClock, RtpClock.VIDEO_CLOCK_RATE);
  }

  /** The audio track's counts for a sender report, null when not set up. */
  public TrackStats audioStats() {
    return audioWriter == null ? null : new TrackStats(audioWriter.ssrc(), audioWriter.packets(),
        audioWriter.octets(), audioWriter.lastTimestamp(), audioWallClock,
        audioClock == null ? 0 : audioClock.clockRate());
  }
}
