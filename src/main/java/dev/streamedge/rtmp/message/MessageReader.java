package dev.streamedge.rtmp.message;

import dev.streamedge.media.MediaKind;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.chunk.Aggregate;
import io.netty.buffer.ByteBuf;

/**
 * Turns the messages of a chunk stream into what a server acts on, and tells a {@link Handler}: one
 * switch over the message type ids (RTMP 1.0 §5.4, §6.2, §7.1). Audio and video are passed on as the
 * message itself, with nothing allocated; aggregates are split into their messages (§7.1.6). Pure:
 * bytes in, calls out.
 */
public final class MessageReader {

  /** What a reader finds in a message. */
  public interface Handler {

    void windowAckSize(WindowAckSize message);

    void userControl(UserControl message);

    /** Audio or video; the payload is the message's, valid during the call. */
    void media(RtmpMessage message, MediaKind kind);

    /**
     * A script data message, its payload after any AMF3 format byte, not decoded yet: a server bounds
     * these before it spends time on them (see {@link DataMessage#unwrap}).
     */
    void data(RtmpMessage message, ByteBuf payload) throws ProtocolException;

    void command(Command command) throws ProtocolException;
  }

  private MessageReader() {
  }

  public static void read(RtmpMessage message, Handler handler) throws ProtocolException {
    switch (message.typeId()) {
      case MessageType.SET_CHUNK_SIZE, MessageType.ABORT, MessageType.ACKNOWLEDGEMENT,
          MessageType.SET_PEER_BANDWIDTH, MessageType.SHARED_OBJECT_AMF0, MessageType.SHARED_OBJECT_AMF3 -> {
        // Chunk-level ones are applied by the chunk decoder; the rest asks nothing of a server.
      }
      case MessageType.WINDOW_ACK_SIZE -> handler.windowAckSize(WindowAckSize.parse(message.payload()));
      case MessageType.USER_CONTROL -> handler.userControl(UserControl.parse(message.payload()));
      case MessageType.AUDIO -> handler.media(message, MediaKind.AUDIO);
      case MessageType.VIDEO -> handler.media(message, MediaKind.VIDEO);
      case MessageType.DATA_AMF0 -> handler.data(message, message.payload());
      case MessageType.DATA_AMF3 -> handler.data(message, skipAmf3Marker(message.payload()));
      case MessageType.COMMAND_AMF0 ->
          handler.command(Command.of(message.messageStreamId(), Amf0.decodeAll(message.payload())));
      case MessageType.COMMAND_AMF3 -> handler.command(
          Command.of(message.messageStreamId(), Amf0.decodeAll(skipAmf3Marker(message.payload()))));
      case MessageType.AGGREGATE -> {
        for (RtmpMessage part : Aggregate.split(message)) {
          if (part.typeId() == MessageType.AGGREGATE) {
            // Sub-messages are FLV tags (§7.1.6). Nesting would recurse once per 15 bytes, copying
            // each level's body: quadratic time and memory, and a stack overflow, from one message.
            throw new ProtocolException("aggregate message inside an aggregate message");
          }
          read(part, handler);
        }
      }
      default -> throw new ProtocolException("unknown message type " + message.typeId());
    }
  }

  /** An AMF3 command or data message starts with a format byte 0, then AMF0 values (RTMP 1.0 §7.1.1). */
  private static ByteBuf skipAmf3Marker(ByteBuf payload) {
    if (payload.isReadable() && payload.getByte(payload.readerIndex()) == 0) {
      payload.skipBytes(1);
    }
    return payload;
  }
}
