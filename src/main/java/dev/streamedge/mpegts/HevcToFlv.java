package dev.streamedge.mpegts;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.codec.HevcConfigRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;

/**
 * H.265 access units in Annex B format to Enhanced RTMP video bodies (ExVideoTagHeader, FourCC
 * {@code hvc1}), as ffmpeg's FLV muxer writes them: a SequenceStart with the
 * HEVCDecoderConfigurationRecord when VPS, SPS and PPS first appear or change, then each access unit
 * as CodedFrames with its composition time, or CodedFramesX when that is 0, every NAL unit kept
 * behind a four-byte length. A keyframe holds an IRAP picture (NAL unit types 16..23, H.265 §7.4.2.2).
 */
public final class HevcToFlv {

  private static final int NAL_IRAP_FIRST = 16;
  private static final int NAL_IRAP_LAST = 23;
  private static final int NAL_VPS = 32;
  private static final int NAL_SPS = 33;
  private static final int NAL_PPS = 34;
  /** IsExHeader, then FrameType (1 key, 2 inter) in bits 4..6 and PacketType in bits 0..3. */
  private static final int EX_HEADER = 0x80;
  private static final int FRAME_KEY = 0x10;
  private static final int FRAME_INTER = 0x20;
  private static final int PACKET_SEQUENCE_START = 0;
  private static final int PACKET_CODED_FRAMES = 1;
  private static final int PACKET_CODED_FRAMES_X = 3;
  private static final int FOURCC_HVC1 = 'h' << 24 | 'v' << 16 | 'c' << 8 | '1';

  private final FlvFromTs.Listener listener;
  /** The latest VPS, SPS and PPS seen, and those of the last sequence start sent. */
  private final byte[][] sets = new byte[3][];
  private final byte[][] sent = new byte[3][];
  private long beforeSequenceHeader;
  private long malformed;

  public HevcToFlv(FlvFromTs.Listener listener) {
    this.listener = listener;
  }

  public void frame(ByteBuf au, long dtsMs, long ctsMs) {
    List<ByteBuf> nals = AnnexBNals.split(au);
    boolean irap = false;
    for (ByteBuf nal : nals) {
      int type = nal.getByte(nal.readerIndex()) >>> 1 & 0x3F;
      irap |= type >= NAL_IRAP_FIRST && type <= NAL_IRAP_LAST;
      if (type >= NAL_VPS && type <= NAL_PPS && nal.readableBytes() >= 2) {
        sets[type - NAL_VPS] = ByteBufUtil.getBytes(nal);
      }
    }
    if (sets[0] != null && sets[1] != null && sets[2] != null && !Arrays.deepEquals(sets, sent)) {
      sequenceStart(dtsMs);
    }
    if (nals.isEmpty()) {
      return;
    }
    if (sent[0] == null) {
      beforeSequenceHeader++;
      return;
    }
    boolean withCts = ctsMs != 0;
    ByteBuf body = Unpooled.buffer(8 + AnnexBNals.lengthPrefixedSize(nals));
    body.writeByte(EX_HEADER | (irap ? FRAME_KEY : FRAME_INTER) | (withCts ? PACKET_CODED_FRAMES : PACKET_CODED_FRAMES_X));
    body.writeInt(FOURCC_HVC1);
    if (withCts) {
      body.writeMedium(AnnexBNals.compositionTime(ctsMs));
    }
    AnnexBNals.writeLengthPrefixed(body, nals);
    listener.media(MediaKind.VIDEO, dtsMs, body);
  }

  private void sequenceStart(long dtsMs) {
    byte[] record;
    try {
      record = HevcConfigRecord.write(sets[0], sets[1], sets[2]);
    } catch (MediaFormatException e) {
      malformed++;
      // Forget the broken sets, so that each frame repeating them is not counted again and again.
      System.arraycopy(sent, 0, sets, 0, sets.length);
      return;
    }
    System.arraycopy(sets, 0, sent, 0, sets.length);
    ByteBuf body = Unpooled.buffer(5 + record.length);
    body.writeByte(EX_HEADER | FRAME_KEY | PACKET_SEQUENCE_START);
    body.writeInt(FOURCC_HVC1);
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
