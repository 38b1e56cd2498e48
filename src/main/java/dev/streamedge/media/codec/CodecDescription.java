package dev.streamedge.media.codec;

import dev.streamedge.flv.FlvAudioPacket;
import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * A short human description of a stream's codec from its sequence header, for operators (the cluster's
 * stream directory, logs): {@code H.264 640x360}, {@code AAC 44100 Hz 2 ch}. Codecs other than AVC and
 * AAC, and headers that do not parse, are only named as such.
 */
public final class CodecDescription {

  private CodecDescription() {
  }

  /** Describes an FLV video sequence header body. */
  public static String video(ByteBuf body) {
    try {
      Optional<FlvVideoPacket> packet = FlvVideoPacket.parse(body);
      if (packet.isEmpty()) {
        return "not H.264";
      }
      AvcConfig avc = AvcConfig.parse(packet.get().data());
      return "H.264 " + avc.width() + "x" + avc.height();
    } catch (MediaFormatException e) {
      return "H.264 (unreadable header)";
    }
  }

  /** The coded picture size of an FLV video sequence header body, when it is H.264 and readable. */
  public static Optional<Resolution> resolution(ByteBuf body) {
    try {
      Optional<FlvVideoPacket> packet = FlvVideoPacket.parse(body);
      if (packet.isEmpty()) {
        return Optional.empty();
      }
      AvcConfig avc = AvcConfig.parse(packet.get().data());
      return Optional.of(new Resolution(avc.width(), avc.height()));
    } catch (MediaFormatException e) {
      return Optional.empty();
    }
  }

  /** A picture size in pixels. */
  public record Resolution(int width, int height) {
  }

  /** Describes an FLV audio sequence header body, or the frame of a format that has none (G.711, MP3). */
  public static String audio(ByteBuf body) {
    try {
      Optional<FlvAudioPacket> packet = FlvAudioPacket.parse(body);
      if (packet.isEmpty()) {
        // Another format (G.711, MP3, enhanced RTMP's Opus): its name, and G.711's fixed rate and channel.
        return CodecDetails.audio(body)
            .map(audio -> audio.sampleRate() > 0 && !audio.codec().equals("AAC")
                ? audio.codec() + " " + audio.sampleRate() + " Hz " + audio.channels() + " ch" : audio.codec())
            .orElse("not AAC");
      }
      AacConfig aac = AacConfig.parse(packet.get().data());
      return "AAC " + aac.sampleRate() + " Hz " + aac.channelConfig() + " ch";
    } catch (MediaFormatException e) {
      return "AAC (unreadable header)";
    }
  }
}
