package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;

/**
 * The packets a group held back for its merging subscribers during one {@code player.merge-write}
 * delay, in stream order. Their RTMP or FLV encodings are joined into one buffer once per batch and
 * event loop, so a player that is in step with live gets one write per batch, the same bytes as every
 * other such player. Used on the group's event loop only.
 */
public final class PacketBatch {

  private final List<MediaPacket> packets;
  private Buffer rtmp;
  private Buffer flv;

  public PacketBatch(List<MediaPacket> packets) {
    this.packets = packets;
  }

  public List<MediaPacket> packets() {
    return packets;
  }

  /** Every packet's {@link MediaPacket#rtmp()} in one buffer, made on first use; must not be modified. */
  public Buffer rtmp() {
    if (rtmp == null) {
      rtmp = join(MediaPacket::rtmp);
    }
    return rtmp;
  }

  /** Every packet's {@link MediaPacket#flv()} in one buffer, made on first use; must not be modified. */
  public Buffer flv() {
    if (flv == null) {
      flv = join(MediaPacket::flv);
    }
    return flv;
  }

  private Buffer join(Function<MediaPacket, Buffer> encoding) {
    int size = 0;
    for (MediaPacket packet : packets) {
      size += encoding.apply(packet).length();
    }
    ByteBuf joined = WireBuffers.directForFanOut(size);
    for (MediaPacket packet : packets) {
      ByteBuf encoded = WireBuffers.unwrap(encoding.apply(packet));
      joined.writeBytes(encoded, encoded.readerIndex(), encoded.readableBytes());
    }
    return WireBuffers.wrap(joined);
  }
}
