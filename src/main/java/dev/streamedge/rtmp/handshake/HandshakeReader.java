package dev.streamedge.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Collects the fixed-size packets of a handshake (RTMP 1.0 §5.2: C0+C1, C2 for a server; S0+S1+S2 for
 * a client) from input that arrives in pieces of any size. Takes no byte past the packet it completes:
 * what follows is chunk stream. Bounded by the packet size; one per connection, for its handshake only.
 */
public final class HandshakeReader {

  private final ByteBuf pending;

  /** {@code maxSize} is the largest packet it will be asked for. */
  public HandshakeReader(int maxSize) {
    this.pending = Unpooled.buffer(maxSize, maxSize);
  }

  /** Whether no byte of the next packet has arrived yet. */
  public boolean atPacketStart() {
    return !pending.isReadable();
  }

  /**
   * Takes bytes of the next packet, of {@code size}, from {@code in}.
   *
   * @return the whole packet once {@code in} completed it, else null (the bytes are kept)
   */
  public byte[] read(ByteBuf in, int size) {
    pending.writeBytes(in, Math.min(size - pending.readableBytes(), in.readableBytes()));
    if (pending.readableBytes() < size) {
      return null;
    }
    byte[] packet = new byte[size];
    pending.readBytes(packet);
    pending.clear();
    return packet;
  }
}
