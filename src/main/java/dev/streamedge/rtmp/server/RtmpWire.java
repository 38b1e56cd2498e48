package dev.streamedge.rtmp.server;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.PacketEncoder;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtmp.chunk.ChunkEncoder;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * The server's outgoing RTMP messages. Everything the server sends uses self-contained fmt-0 headers
 * ({@link ChunkEncoder#encodeStandalone}), so messages encoded once for many players can be mixed
 * with per-connection messages on the same chunk streams without any shared header state.
 */
final class RtmpWire {

  /** Chunk stream ids as nginx-rtmp uses them, which players are used to. */
  static final int CSID_CONTROL = 2;
  static final int CSID_COMMAND = 3;
  static final int CSID_STREAM_DATA = 5;
  static final int CSID_AUDIO = 6;
  static final int CSID_VIDEO = 7;

  /** The message stream id the server gives the first stream of every connection. */
  static final int FIRST_STREAM_ID = 1;

  private RtmpWire() {
  }

  /** Encodes media once for all RTMP players, on message stream {@link #FIRST_STREAM_ID}. */
  static PacketEncoder fanOutEncoder(int chunkSize) {
    return (kind, timestamp, body) -> encodeMedia(kind, timestamp, body, FIRST_STREAM_ID, chunkSize);
  }

  static Buffer encodeMedia(MediaKind kind, long timestamp, ByteBuf body, int streamId, int chunkSize) {
    RtmpMessage message = new RtmpMessage(csidOf(kind), typeOf(kind), streamId, timestamp, body);
    ByteBuf out = WireBuffers.directForFanOut(ChunkEncoder.standaloneLength(message, chunkSize));
    ChunkEncoder.encodeStandalone(message, chunkSize, out);
    return WireBuffers.wrap(out);
  }

  static Buffer encode(int csid, int type, int streamId, long timestamp, ByteBuf payload, int chunkSize) {
    return WireBuffers.wrap(
        ChunkEncoder.encodeStandalone(new RtmpMessage(csid, type, streamId, timestamp, payload), chunkSize));
  }

  static ByteBuf int32(long value) {
    return Unpooled.buffer(4).writeInt((int) value);
  }

  static ByteBuf setPeerBandwidth(long window, int limitType) {
    return Unpooled.buffer(5).writeInt((int) window).writeByte(limitType);
  }

  static ByteBuf userControl(int event, long value) {
    return Unpooled.buffer(6).writeShort(event).writeInt((int) value);
  }

  private static int csidOf(MediaKind kind) {
    return switch (kind) {
      case AUDIO -> CSID_AUDIO;
      case VIDEO -> CSID_VIDEO;
      case DATA -> CSID_STREAM_DATA;
    };
  }

  private static int typeOf(MediaKind kind) {
    return switch (kind) {
      case AUDIO -> MessageType.AUDIO;
      case VIDEO -> MessageType.VIDEO;
      case DATA -> MessageType.DATA_AMF0;
    };
  }
}
