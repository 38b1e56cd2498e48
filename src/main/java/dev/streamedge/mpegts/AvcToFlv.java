package dev.streamedge.mpegts;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.codec.AvcConfigRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;

/**
 * H.264 access units in Annex B format to FLV AVCVIDEOPACKETs (FLV spec v10.1 §E.4.3.1). Every NAL
 * unit is kept, each behind a four-byte length, as ffmpeg's FLV muxer keeps them (delimiters and
 * in-band parameter sets included), so that a frame's NAL units are the bytes the encoder wrote.
 */
public final class AvcToFlv {

  private static final int NAL_IDR = 5;
  private static final int NAL_SPS = 7;
  private static final int NAL_PPS = 8;
  private static final int FRAME_KEY = 0x17;
  private static final int FRAME_INTER = 0x27;
  private static final int PACKET_SEQUENCE_HEADER = 0;
  private static final int PACKET_NALU = 1;
  /** CompositionTime is SI24. */

  private final FlvFromTs.Listener listener;
  /** The latest SPS and PPS seen, and those of the last sequence header sent. */
  private byte[] sps;
  private byte[] pps;
  private byte[] sentSps;
  private byte[] sentPps;
  private long beforeSequenceHeader;
  private long malformed;

  public AvcToFlv(FlvFromTs.Listener listener) {
    this.listener = listener;
  }

  public void frame(ByteBuf au, long dtsMs, long ctsMs) {
    List<ByteBuf> nals = AnnexBNals.split(au);
    boolean idr = false;
    for (ByteBuf nal : nals) {
      int type = nal.getByte(nal.readerIndex()) & 0x1F;
      idr |= type == NAL_IDR;
      if (type == NAL_SPS) {
        sps = ByteBufUtil.getBytes(nal);
      } else if (type == NAL_PPS) {
        pps = ByteBufUtil.getBytes(nal);
      }
    }
    if (sps != null && pps != null && (!Arrays.equals(sps, sentSps) || !Arrays.equals(pps, sentPps))) {
      sequenceHeader(dtsMs);
    }
    if (nals.isEmpty()) {
      return;
    }
    if (sentSps == null) {
      beforeSequenceHeader++;
      return;
    }
    ByteBuf body = Unpooled.buffer(5 + AnnexBNals.lengthPrefixedSize(nals));
    body.writeByte(idr ? FRAME_KEY : FRAME_INTER);
    body.writeByte(PACKET_NALU);
    body.writeMedium(AnnexBNals.compositionTime(ctsMs));
    AnnexBNals.writeLengthPrefixed(body, nals);
    listener.media(MediaKind.VIDEO, dtsMs, body);
  }

  /** FrameType 1, AVCPacketType 0, CompositionTime 0, then the AVCDecoderConfigurationRecord. */
  private void sequenceHeader(long dtsMs) {
    byte[] record;
    try {
      record = AvcConfigRecord.write(sps, pps);
    } catch (MediaFormatException e) {
      malformed++;
      // Forget the broken set, so that each frame repeating it is not counted again and again.
      sps = sentSps;
      pps = sentPps;
      return;
    }
    sentSps = sps;
    sentPps = pps;
    ByteBuf body = Unpooled.buffer(5 + record.length);
    body.writeByte(FRAME_KEY);
    body.writeByte(PACKET_SEQUENCE_HEADER);
    body.writeMedium(0);
    body.writeBytes(record);
    listener.media(MediaKind.VIDEO, dtsMs, body);
  }

  public long beforeSequenceHeader() {
    return beforeSequenceHeader;
  }

  public long malformed() {
    return malformed;
  }
}
