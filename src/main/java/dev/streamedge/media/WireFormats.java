package dev.streamedge.media;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * The wire formats of one node, each registered by its protocol when the node starts, in which every
 * packet is encoded once for all players of that format. The stream core knows only that a packet has
 * one encoding per registered format; which formats there are is the protocols' business.
 *
 * <p>Registration must be over before the first packet is encoded: a format registered later would be
 * missing from the packets made before it, so it fails instead. Encoding runs on any event loop.
 */
public final class WireFormats {

  private static final WireFormat[] NONE = new WireFormat[0];

  private volatile WireFormat[] formats = NONE;
  private volatile boolean sealed;

  /** Adds a format whose packets {@code encoder} encodes; at node start, before any packet. */
  public synchronized WireFormat register(String name, PacketEncoder encoder) {
    if (sealed) {
      throw new IllegalStateException("wire format " + name + " registered after the first packet was encoded");
    }
    WireFormat[] next = Arrays.copyOf(formats, formats.length + 1);
    WireFormat format = new WireFormat(name, formats.length, encoder);
    next[formats.length] = format;
    formats = next;
    return format;
  }

  /** The number of registered formats: the length of every packet's encodings. */
  public int size() {
    return formats.length;
  }

  /**
   * Encodes {@code body} in every registered format, indexed as the formats are; each encoding is made
   * once, to be written to every player of its format. Must not modify {@code body}.
   */
  public Buffer[] encode(MediaKind kind, long timestamp, ByteBuf body) {
    if (!sealed) {
      sealed = true;
    }
    WireFormat[] registered = formats;
    Buffer[] encodings = new Buffer[registered.length];
    for (int i = 0; i < registered.length; i++) {
      encodings[i] = registered[i].encoder().encode(kind, timestamp, body);
    }
    return encodings;
  }
}
