package dev.streamedge.media.codec;

import dev.streamedge.flv.ExAudioPacket;
import dev.streamedge.flv.ExVideoPacket;
import dev.streamedge.flv.FlvAudioPacket;
import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.Optional;

/**
 * What a stream's sequence headers say of its codecs, in the words of nginx-rtmp's {@code /stat} page
 * (codec names such as {@code H264} and {@code AAC}, profiles such as {@code Main} and {@code LC}), so
 * that tools written against that page read the same values here. Pure: FLV tag bodies in, records out.
 */
public final class CodecDetails {

  /** FLV spec v10.1 §E.4.3.1 CodecID, by the names nginx-rtmp gives them. */
  private static final String[] VIDEO_IDS = {"", "Jpeg", "Sorenson-H263", "ScreenVideo", "On2-VP6",
      "On2-VP6-Alpha", "ScreenVideo2", "H264"};
  /** FLV spec v10.1 §E.4.2.1 SoundFormat, by the names nginx-rtmp gives them (9 is enhanced RTMP's). */
  private static final String[] AUDIO_IDS = {"Uncompressed", "ADPCM", "MP3", "LinearLE", "Nellymoser16",
      "Nellymoser8", "Nellymoser", "G711A", "G711U", "", "AAC", "Speex", "", "", "MP3-8K", "DeviceSpecific"};
  /** Enhanced RTMP FourCCs. */
  private static final Map<String, String> VIDEO_FOURCC =
      Map.of("avc1", "H264", "hvc1", "H265", "av01", "AV1", "vp09", "VP9", "vp08", "VP8");
  private static final Map<String, String> AUDIO_FOURCC =
      Map.of("mp4a", "AAC", "Opus", "Opus", "fLaC", "FLAC", "ac-3", "AC3", "ec-3", "EAC3", ".mp3", "MP3");
  private static final int LEGACY_AVC = 7;
  private static final int LEGACY_AAC = 10;
  private static final int EX_HEADER_AUDIO = 9;
  private static final int G711A = 7;
  private static final int G711U = 8;

  private CodecDetails() {
  }

  /**
   * A video track.
   *
   * @param codec {@code H264}, {@code H265}, {@code AV1}, ... ({@code ""} when the header names none)
   * @param width coded width in pixels, 0 when not read (only H.264's are)
   * @param height coded height in pixels, 0 when not read
   * @param profile H.264's profile ({@code Baseline}, {@code Main}, {@code High}, ...), {@code ""} when not read
   * @param compat H.264's profile_compatibility byte (ISO/IEC 14496-15 §5.3.3.1), 0 when not read
   * @param level H.264's level as {@code 3.1}, {@code ""} when not read
   */
  public record Video(String codec, int width, int height, String profile, int compat, String level) {
  }

  /**
   * An audio track.
   *
   * @param codec {@code AAC}, {@code MP3}, {@code Opus}, ...
   * @param profile AAC's object type ({@code LC}, {@code HE}, {@code HEv2}, ...), {@code ""} when not read
   * @param channels AAC's channel configuration, 0 when not read
   * @param sampleRate AAC's sampling rate in Hz, 0 when not read
   */
  public record Audio(String codec, String profile, int channels, int sampleRate) {
  }

  /**
   * Whether an audio body is of a legacy format with no sequence header (G.711, MP3, Nellymoser, Speex...), which
   * only its frames describe: not AAC, not enhanced RTMP's. Never throws.
   */
  public static boolean headerless(ByteBuf body) {
    if (!body.isReadable()) {
      return false;
    }
    int format = body.getUnsignedByte(body.readerIndex()) >>> 4;
    return format != LEGACY_AAC && format != EX_HEADER_AUDIO && !AUDIO_IDS[format].isEmpty();
  }

  /** The details of a video sequence header body; empty when it names no codec. Never throws. */
  public static Optional<Video> video(ByteBuf body) {
    if (!body.isReadable()) {
      return Optional.empty();
    }
    int first = body.getUnsignedByte(body.readerIndex());
    try {
      if ((first & 0x80) != 0) {
        Optional<ExVideoPacket> packet = ExVideoPacket.parse(body);
        if (packet.isEmpty()) {
          return Optional.empty();
        }
        String codec = VIDEO_FOURCC.getOrDefault(packet.get().fourCc(), packet.get().fourCc());
        return Optional.of(codec.equals("H264") && packet.get().packetType() == ExVideoPacket.SEQUENCE_START
            ? avc(packet.get().data()) : new Video(codec, 0, 0, "", 0, ""));
      }
      int id = first & 0x0F;
      if (id == LEGACY_AVC) {
        Optional<FlvVideoPacket> packet = FlvVideoPacket.parse(body);
        if (packet.isPresent() && packet.get().packetType() == FlvVideoPacket.SEQUENCE_HEADER) {
          return Optional.of(avc(packet.get().data()));
        }
      }
      String codec = id < VIDEO_IDS.length ? VIDEO_IDS[id] : "";
      return codec.isEmpty() ? Optional.empty() : Optional.of(new Video(codec, 0, 0, "", 0, ""));
    } catch (MediaFormatException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  /** The details of an audio sequence header body; empty when it names no codec. Never throws. */
  public static Optional<Audio> audio(ByteBuf body) {
    if (!body.isReadable()) {
      return Optional.empty();
    }
    int format = body.getUnsignedByte(body.readerIndex()) >>> 4;
    try {
      if (format == EX_HEADER_AUDIO) {
        Optional<ExAudioPacket> packet = ExAudioPacket.parse(body);
        if (packet.isEmpty()) {
          return Optional.empty();
        }
        String codec = AUDIO_FOURCC.getOrDefault(packet.get().fourCc(), packet.get().fourCc());
        return Optional.of(codec.equals("AAC") && packet.get().packetType() == ExAudioPacket.SEQUENCE_START
            ? aac(packet.get().data()) : new Audio(codec, "", 0, 0));
      }
      if (format == LEGACY_AAC) {
        Optional<FlvAudioPacket> packet = FlvAudioPacket.parse(body);
        if (packet.isPresent() && packet.get().packetType() == FlvAudioPacket.SEQUENCE_HEADER) {
          return Optional.of(aac(packet.get().data()));
        }
      }
      String codec = AUDIO_IDS[format];
      if (format == G711A || format == G711U) {
        return Optional.of(new Audio(codec, "", 1, 8000)); // §E.4.2.1: G.711 is 8 kHz mono whatever the flags say
      }
      return codec.isEmpty() ? Optional.empty() : Optional.of(new Audio(codec, "", 0, 0));
    } catch (MediaFormatException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private static Video avc(ByteBuf record) throws MediaFormatException {
    AvcConfig config = AvcConfig.parse(record);
    // AVCDecoderConfigurationRecord: configurationVersion, AVCProfileIndication, profile_compatibility.
    int compat = record.getUnsignedByte(record.readerIndex() + 2);
    return new Video("H264", config.width(), config.height(), avcProfile(config.profile()), compat,
        config.level() / 10 + "." + config.level() % 10);
  }

  /** H.264 Annex A profile_idc names. */
  static String avcProfile(int profileIdc) {
    return switch (profileIdc) {
      case 66 -> "Baseline";
      case 77 -> "Main";
      case 88 -> "Extended";
      case 100 -> "High";
      case 110 -> "High10";
      case 122 -> "High422";
      case 244 -> "High444";
      default -> Integer.toString(profileIdc);
    };
  }

  private static Audio aac(ByteBuf config) throws MediaFormatException {
    AacConfig aac = AacConfig.parse(config);
    return new Audio("AAC", aacProfile(aac.objectType()), aac.channelConfig(), aac.sampleRate());
  }

  /** ISO/IEC 14496-3 §1.5.1.1 audio object types. */
  static String aacProfile(int objectType) {
    return switch (objectType) {
      case 1 -> "Main";
      case 2 -> "LC";
      case 3 -> "SSR";
      case 4 -> "LTP";
      case 5 -> "HE";
      case 29 -> "HEv2";
      default -> Integer.toString(objectType);
    };
  }
}
