package dev.streamedge.media;

/**
 * A form in which players are written a stream's packets (RTMP chunks, FLV tags, ...), as registered
 * with the node's {@link WireFormats}. Every packet carries its encoding in each registered format,
 * made once when the stream received it; a player finds its own with {@link MediaPacket#encoded} by the
 * format's index, with no lookup by name and no allocation.
 */
public final class WireFormat {

  private final String name;
  private final int index;
  private final PacketEncoder encoder;

  WireFormat(String name, int index, PacketEncoder encoder) {
    this.name = name;
    this.index = index;
    this.encoder = encoder;
  }

  public String name() {
    return name;
  }

  /** Where a packet keeps its encoding in this format: 0 for the first registered, then 1, 2, ... */
  public int index() {
    return index;
  }

  PacketEncoder encoder() {
    return encoder;
  }

  @Override
  public String toString() {
    return name;
  }
}
