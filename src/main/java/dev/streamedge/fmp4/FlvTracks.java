package dev.streamedge.fmp4;

import dev.streamedge.flv.ExAudioPacket;
import dev.streamedge.flv.ExVideoPacket;
import dev.streamedge.flv.FlvAudioPacket;
import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.Av1Config;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.media.codec.HevcConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Optional;

/**
 * Reads the packets that fMP4 carries, for HLS and for recordings: H.264 and AAC in legacy FLV, HEVC
 * ({@code hvc1}), AV1 ({@code av01}), VP9 ({@code vp09}) and Opus in Enhanced RTMP, each configuration
 * with its {@link SampleEntry}; and G.711 frames, for the sinks that carry them ({@link Sink#g711Frame}). Other
 * codecs, metadata and command frames are skipped. Pure: a packet
 * in, calls on a {@link Sink} out, with no copy of frame data.
 */
public final class FlvTracks {

  /** Frame interval assumed for Opus before two frames have been seen. */
  private static final long OPUS_FRAME_MILLIS = 20;

  /** What a packet was. Configurations come with the sequence header's bytes and their sample entry. */
  public interface Sink {
    /** @param avc the H.264 configuration, or null for another codec */
    void videoConfig(byte[] record, AvcConfig avc, SampleEntry entry);

    void videoFrame(long dts, int cts, boolean keyframe, ByteBuf data, long wallClock) throws MediaFormatException;

    /** @param aac the AAC configuration, or null for another codec */
    void audioConfig(byte[] record, AacConfig aac, SampleEntry entry, long frameMillis);

    /** @param samples the frame's duration in the track's timescale */
    void audioFrame(long pts, ByteBuf data, int samples, long wallClock) throws MediaFormatException;

    /**
     * G.711 audio (FLV's SoundFormat 7, A-law, and 8, µ-law: 8 kHz mono, no sequence header), which only RTSP's
     * players carry here; the others leave it out, as before.
     *
     * @param samples the body's samples, one byte each
     */
    default void g711Frame(boolean alaw, long pts, ByteBuf samples, long wallClock) {
    }
  }

  /** FLV spec v10.1 §E.4.2.1 SoundFormat: G.711 A-law and µ-law. */
  private static final int G711_ALAW = 7;
  private static final int G711_MULAW = 8;

  private FlvTracks() {
  }

  /** @throws MediaFormatException when a packet of a codec read here is malformed */
  public static void read(MediaPacket packet, long wallClock, Sink sink) throws MediaFormatException {
    read(packet.kind(), packet.timestamp(), packet.body(), wallClock, sink);
  }

  /** As {@link #read(MediaPacket, long, Sink)}, from a packet's parts (a {@code PacketEncoder}'s arguments). */
  public static void read(MediaKind kind, long timestamp, ByteBuf body, long wallClock, Sink sink)
      throws MediaFormatException {
    if (kind == MediaKind.VIDEO) {
      video(body, timestamp, wallClock, sink);
    } else if (kind == MediaKind.AUDIO) {
      audio(body, timestamp, wallClock, sink);
    }
  }

  private static void video(ByteBuf body, long dts, long wallClock, Sink sink) throws MediaFormatException {
    Optional<FlvVideoPacket> legacy = FlvVideoPacket.parse(body);
    if (legacy.isPresent()) {
      FlvVideoPacket packet = legacy.get();
      if (packet.packetType() == FlvVideoPacket.SEQUENCE_HEADER) {
        AvcConfig parsed = AvcConfig.parse(packet.data());
        byte[] record = ByteBufUtil.getBytes(packet.data());
        sink.videoConfig(record, parsed, new AvcSampleEntry(record, parsed.width(), parsed.height()));
      } else if (packet.packetType() == FlvVideoPacket.NALU) {
        sink.videoFrame(dts, packet.compositionTimeMs(), packet.keyframe(), packet.data(), wallClock);
      }
      return;
    }
    Optional<ExVideoPacket> enhanced = ExVideoPacket.parse(body);
    if (enhanced.isEmpty()) {
      return;
    }
    ExVideoPacket packet = enhanced.get();
    String codec = packet.fourCc();
    boolean hevc = codec.equals("hvc1");
    boolean av1 = codec.equals("av01");
    if (!hevc && !av1 && !codec.equals("vp09")) {
      return;
    }
    if (packet.packetType() == ExVideoPacket.SEQUENCE_START) {
      byte[] record = ByteBufUtil.getBytes(packet.data());
      if (!hevc && !av1) {
        // vpcC has no picture size: the muxer sets it from the run's first keyframe.
        sink.videoConfig(record, null, new Vp9SampleEntry(record, 0, 0));
      } else if (hevc) {
        HevcConfig parsed = HevcConfig.parse(packet.data());
        sink.videoConfig(record, null, new HevcSampleEntry(record, parsed.width(), parsed.height()));
      } else {
        Av1Config parsed = Av1Config.parse(packet.data());
        sink.videoConfig(record, null, new Av1SampleEntry(record, parsed.width(), parsed.height()));
      }
    } else {
      ByteBuf data = packet.data();
      if (av1) {
        data = data.skipBytes(Av1Config.skipTemporalDelimiter(data));
      }
      sink.videoFrame(dts, packet.compositionTimeMs(), packet.keyframe(), data, wallClock);
    }
  }

  private static void audio(ByteBuf body, long pts, long wallClock, Sink sink) throws MediaFormatException {
    Optional<FlvAudioPacket> legacy = FlvAudioPacket.parse(body);
    if (legacy.isPresent()) {
      FlvAudioPacket packet = legacy.get();
      if (packet.packetType() == FlvAudioPacket.SEQUENCE_HEADER) {
        AacConfig parsed = AacConfig.parse(packet.data());
        byte[] record = ByteBufUtil.getBytes(packet.data());
        if (record.length > AacSampleEntry.MAX_CONFIG_BYTES) {
          // A publisher's header, not a programming error: refused like any malformed one (RtpCoverageFuzzTest).
          throw new MediaFormatException("AAC sequence header of " + record.length + " bytes, at most "
              + AacSampleEntry.MAX_CONFIG_BYTES);
        }
        sink.audioConfig(record, parsed, new AacSampleEntry(record, parsed.sampleRate(), parsed.channelConfig()),
            parsed.frameDuration90k() / 90);
      } else {
        sink.audioFrame(pts, packet.data(), AacConfig.SAMPLES_PER_FRAME, wallClock);
      }
      return;
    }
    int format = body.isReadable() ? body.getUnsignedByte(body.readerIndex()) >>> 4 : -1;
    if ((format == G711_ALAW || format == G711_MULAW) && body.readableBytes() > 1) {
      sink.g711Frame(format == G711_ALAW, pts, body.slice(body.readerIndex() + 1, body.readableBytes() - 1), wallClock);
      return;
    }
    Optional<ExAudioPacket> enhanced = ExAudioPacket.parse(body);
    if (enhanced.isEmpty() || !enhanced.get().fourCc().equals("Opus")) {
      return;
    }
    ExAudioPacket packet = enhanced.get();
    if (packet.packetType() == ExAudioPacket.SEQUENCE_START) {
      sink.audioConfig(ByteBufUtil.getBytes(packet.data()), null, OpusSampleEntry.fromOpusHead(packet.data()),
          OPUS_FRAME_MILLIS);
    } else {
      sink.audioFrame(pts, packet.data(), OpusSampleEntry.samples(packet.data()), wallClock);
    }
  }
}
