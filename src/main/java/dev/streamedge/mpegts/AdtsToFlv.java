package dev.streamedge.mpegts;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AdtsHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * The ADTS frames of an AAC PES to FLV AACAUDIODATA (FLV spec v10.1 §E.4.2.1): an AAC sequence header
 * with the two-byte AudioSpecificConfig of the ADTS header when it first appears or changes, then
 * each raw frame, ADTS header and CRC stripped, at the PES time plus 1024 samples per frame before it
 * (computed from the PES time each time, so rounding never accumulates).
 */
final class AdtsToFlv {

  /** SoundFormat 10 (AAC), 44 kHz, 16 bits, stereo: the flags byte every AAC tag carries. */
  private static final int AAC_FLAGS = 0xAF;
  private static final int PACKET_SEQUENCE_HEADER = 0;
  private static final int PACKET_RAW = 1;

  private final FlvFromTs.Listener listener;
  private byte[] sentConfig;
  private long malformed;
  private long unsupported;

  AdtsToFlv(FlvFromTs.Listener listener) {
    this.listener = listener;
  }

  void frame(ByteBuf pes, TsClock clock, long pts) {
    int at = pes.readerIndex();
    int end = pes.writerIndex();
    for (int index = 0; at < end; index++) {
      AdtsHeader header;
      try {
        header = AdtsHeader.parse(pes, at);
      } catch (MediaFormatException e) {
        malformed++;
        return;
      }
      if (header.frameLength() > end - at) {
        malformed++;
        return;
      }
      AacConfig config = header.config();
      long timestamp = clock.millis(pts, (long) index * AacConfig.SAMPLES_PER_FRAME, config.sampleRate());
      // Channel configuration 0 needs the PCE in the AudioSpecificConfig; several raw data blocks per
      // frame would be several FLV frames without their boundaries.
      if (config.channelConfig() == 0 || header.rawDataBlocks() != 1) {
        unsupported++;
      } else {
        byte[] asc = config.audioSpecificConfig();
        if (!Arrays.equals(asc, sentConfig)) {
          sentConfig = asc;
          listener.media(MediaKind.AUDIO, timestamp, body(PACKET_SEQUENCE_HEADER, Unpooled.wrappedBuffer(asc)));
        }
        int headerLength = header.headerLength();
        listener.media(MediaKind.AUDIO, timestamp,
            body(PACKET_RAW, pes.slice(at + headerLength, header.frameLength() - headerLength)));
      }
      at += header.frameLength();
    }
  }

  private static ByteBuf body(int packetType, ByteBuf data) {
    ByteBuf body = Unpooled.buffer(2 + data.readableBytes());
    body.writeByte(AAC_FLAGS);
    body.writeByte(packetType);
    body.writeBytes(data, data.readerIndex(), data.readableBytes());
    return body;
  }

  long malformed() {
    return malformed;
  }

  long unsupported() {
    return unsupported;
  }
}
