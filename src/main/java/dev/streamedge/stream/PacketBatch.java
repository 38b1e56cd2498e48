package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.WireFormat;
import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The packets a group held back for its merging subscribers during one {@code player.merge-write}
 * delay, in stream order. Their encodings in a wire format are joined into one buffer once per batch,
 * format and event loop, so a player that is in step with live gets one write per batch, the same bytes
 * as every other such player of its format. Used on the group's event loop only.
 */
public final class PacketBatch {

  private final List<MediaPacket> packets;
  /** Joined encodings by format index, each made on first use; the array too. */
  private Buffer[] joined;

  public PacketBatch(List<MediaPacket> packets) {
    this.packets = packets;
  }

  public List<MediaPacket> packets() {
    return packets;
  }

  /**
   * Every packet's {@link MediaPacket#encoded encoding} in {@code format}, in one buffer made on first
   * use; must not be modified.
   */
  public Buffer encoded(WireFormat format) {
    int index = format.index();
    if (joined == null) {
      joined = new Buffer[packets.isEmpty() ? index + 1 : packets.get(0).encodings().length];
    }
    Buffer buffer = joined[index];
    if (buffer == null) {
      buffer = join(format);
      joined[index] = buffer;
    }
    return buffer;
  }

  private Buffer join(WireFormat format) {
    int size = 0;
    for (MediaPacket packet : packets) {
      size += packet.encoded(format).length();
    }
    ByteBuf joined = WireBuffers.directForFanOut(size);
    for (MediaPacket packet : packets) {
      ByteBuf encoded = WireBuffers.unwrap(packet.encoded(format));
      joined.writeBytes(encoded, encoded.readerIndex(), encoded.readableBytes());
    }
    return WireBuffers.wrap(joined);
  }
}
