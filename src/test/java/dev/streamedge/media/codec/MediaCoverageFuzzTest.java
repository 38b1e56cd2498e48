package dev.streamedge.media.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.flv.FlvAudioPacket;
import dev.streamedge.flv.FlvTags;
import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the FLV tag headers and the codec configurations they carry
 * (docs/fuzzing.md). The first input byte picks what the rest is: an FLV video tag body, an FLV audio
 * tag body, an AVCDecoderConfigurationRecord or an AudioSpecificConfig.
 *
 * <p>The parsers return or throw {@link MediaFormatException}, read without moving the reader index,
 * and what they return is in range: a picture of 1 to 16384 pixels a side, a NAL length size of 1, 2
 * or 4, a positive sample rate, an ADTS header that says what it was given. The keyframe and
 * sequence-header tests of {@link FlvTags} (which never throw) agree with the packet parsers, and
 * {@link CodecDescription} describes anything.
 */
@Tag("fuzz")
class MediaCoverageFuzzTest {

  @FuzzTest(maxDuration = "30s", maxExecutions = 400_000)
  void tagsAndConfigsParseInRangeOrThrowMediaFormatException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    ByteBuf body = Unpooled.wrappedBuffer(input, 1, input.length - 1);
    switch (input[0] & 3) {
      case 0 -> video(body);
      case 1 -> audio(body);
      case 2 -> avc(body);
      default -> aac(body);
    }
    if (body.readerIndex() != 0) {
      throw new AssertionError("reader index moved to " + body.readerIndex());
    }
  }

  private static void video(ByteBuf body) {
    boolean keyframe = FlvTags.isVideoKeyframe(body);
    boolean sequenceHeader = FlvTags.isVideoSequenceHeader(body);
    if (keyframe && sequenceHeader) {
      throw new AssertionError("both a keyframe and a sequence header");
    }
    String description = CodecDescription.video(body);
    Optional<CodecDescription.Resolution> resolution = CodecDescription.resolution(body);
    Optional<FlvVideoPacket> packet;
    try {
      packet = FlvVideoPacket.parse(body);
    } catch (MediaFormatException e) {
      return;
    }
    if (packet.isEmpty()) {
      return;
    }
    FlvVideoPacket video = packet.get();
    if (video.data().readableBytes() != body.readableBytes() - 5) {
      throw new AssertionError("AVC data of " + video.data().readableBytes() + " bytes in a body of " + body.readableBytes());
    }
    if ((video.packetType() == FlvVideoPacket.SEQUENCE_HEADER) != sequenceHeader) {
      throw new AssertionError("packet type " + video.packetType() + ", FlvTags sequence header " + sequenceHeader);
    }
    if ((video.keyframe() && video.packetType() == FlvVideoPacket.NALU) != keyframe) {
      throw new AssertionError("keyframe " + video.keyframe() + " type " + video.packetType() + ", FlvTags keyframe " + keyframe);
    }
    if (video.packetType() == FlvVideoPacket.SEQUENCE_HEADER) {
      AvcConfig config = avc(video.data());
      boolean described = description.startsWith("H.264 ") && !description.startsWith("H.264 (");
      if ((config != null) != resolution.isPresent() || (config != null) != described) {
        throw new AssertionError("config " + config + ", description " + description + ", resolution " + resolution);
      }
    }
  }

  private static void audio(ByteBuf body) {
    boolean sequenceHeader = FlvTags.isAudioSequenceHeader(body);
    String description = CodecDescription.audio(body);
    Optional<FlvAudioPacket> packet;
    try {
      packet = FlvAudioPacket.parse(body);
    } catch (MediaFormatException e) {
      return;
    }
    if (packet.isEmpty()) {
      return;
    }
    FlvAudioPacket audio = packet.get();
    if (audio.data().readableBytes() != body.readableBytes() - 2) {
      throw new AssertionError("AAC data of " + audio.data().readableBytes() + " bytes in a body of " + body.readableBytes());
    }
    if ((audio.packetType() == FlvAudioPacket.SEQUENCE_HEADER) != sequenceHeader) {
      throw new AssertionError("packet type " + audio.packetType() + ", FlvTags sequence header " + sequenceHeader);
    }
    if (audio.packetType() == FlvAudioPacket.SEQUENCE_HEADER) {
      AacConfig config = aac(audio.data());
      if ((config != null) != (description.startsWith("AAC ") && !description.startsWith("AAC ("))) {
        throw new AssertionError("config " + config + ", description " + description);
      }
    }
  }

  /** The record, or null when it does not parse. */
  private static AvcConfig avc(ByteBuf record) {
    int readerIndex = record.readerIndex();
    AvcConfig config;
    try {
      config = AvcConfig.parse(record);
    } catch (MediaFormatException e) {
      return null;
    } finally {
      if (record.readerIndex() != readerIndex) {
        throw new AssertionError("AvcConfig.parse moved the reader index");
      }
    }
    if (config.width() < 1 || config.width() > 16_384 || config.height() < 1 || config.height() > 16_384
        || (config.nalLengthSize() != 1 && config.nalLengthSize() != 2 && config.nalLengthSize() != 4)
        || config.sps().isEmpty() || config.pps().isEmpty()
        || (config.sps().get(0)[0] & 0x1F) != 7 || (config.pps().get(0)[0] & 0x1F) != 8) {
      throw new AssertionError("out of range: " + config);
    }
    return config;
  }

  /** The config, or null when it does not parse. */
  private static AacConfig aac(ByteBuf bytes) {
    int readerIndex = bytes.readerIndex();
    AacConfig config;
    try {
      config = AacConfig.parse(bytes);
    } catch (MediaFormatException e) {
      return null;
    } finally {
      if (bytes.readerIndex() != readerIndex) {
        throw new AssertionError("AacConfig.parse moved the reader index");
      }
    }
    if (config.sampleRate() <= 0 || config.objectType() < 1 || config.channelConfig() < 0
        || config.channelConfig() > 15 || config.frameDuration90k() < 0) {
      throw new AssertionError("out of range: " + config);
    }
    if (config.adtsCompatible()) {
      int frame = bytes.readableBytes() % (AacConfig.MAX_ADTS_PAYLOAD + 1);
      ByteBuf header = Unpooled.buffer(AacConfig.ADTS_HEADER_LENGTH);
      config.writeAdtsHeader(header, frame);
      int frameLength = (header.getUnsignedByte(3) & 0x03) << 11 | header.getUnsignedByte(4) << 3
          | header.getUnsignedByte(5) >>> 5;
      int channels = (header.getUnsignedByte(2) & 0x01) << 2 | header.getUnsignedByte(3) >>> 6;
      if (header.readableBytes() != AacConfig.ADTS_HEADER_LENGTH || header.getUnsignedShort(0) != 0xFFF1
          || frameLength != frame + AacConfig.ADTS_HEADER_LENGTH || channels != config.channelConfig()
          || (header.getUnsignedByte(2) >>> 6) != config.objectType() - 1) {
        throw new AssertionError("ADTS header " + ByteBufUtil.hexDump(header) + " for " + config
            + " and " + frame + " bytes");
      }
    }
    return config;
  }
}
