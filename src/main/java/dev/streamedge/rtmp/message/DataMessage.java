package dev.streamedge.rtmp.message;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.amf.Amf0;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A publisher's script data message (RTMP 1.0 §7.1.2) as players are to get it: encoders (FMLE, OBS,
 * ffmpeg) send {@code "@setDataFrame", "onMetaData", {...}}, players get {@code "onMetaData", {...}}.
 *
 * @param metadata whether it is {@code onMetaData}, which a stream keeps for the players that join later
 * @param body the AMF0 bytes to pass on: a slice of the message, without {@code @setDataFrame}
 */
public record DataMessage(boolean metadata, ByteBuf body) {

  /**
   * Unwraps a data payload (AMF0, after any AMF3 format byte), without moving its reader index. Its
   * values are decoded to check they are AMF0 and to read the names; the body is the bytes as sent.
   */
  public static DataMessage unwrap(ByteBuf payload) throws ProtocolException {
    ByteBuf afterFirst = payload.duplicate();
    Object first = Amf0.decode(afterFirst);
    List<Object> rest = Amf0.decodeAll(afterFirst.duplicate());
    if ("@setDataFrame".equals(first) && !rest.isEmpty()) {
      return new DataMessage("onMetaData".equals(rest.get(0)), afterFirst);
    }
    return new DataMessage("onMetaData".equals(first), payload);
  }
}
