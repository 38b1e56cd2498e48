package dev.streamedge.hls.ts;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.HevcConfig;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * What {@link TsMuxer} needs of an HEVC track: the length prefix of its NAL units and the VPS, SPS and PPS it
 * puts before random access pictures, from the track's HEVCDecoderConfigurationRecord.
 *
 * @param parameterSets NAL units without start codes or lengths (do not modify)
 */
public record HevcParameterSets(int nalLengthSize, List<byte[]> parameterSets) {

  /** @throws MediaFormatException when {@code hvcc} is not a record with an SPS */
  public static HevcParameterSets of(byte[] hvcc) throws MediaFormatException {
    HevcConfig config = HevcConfig.parse(Unpooled.wrappedBuffer(hvcc));
    return new HevcParameterSets(config.nalLengthSize(), List.copyOf(HevcConfig.parameterSets(Unpooled.wrappedBuffer(hvcc))));
  }
}
