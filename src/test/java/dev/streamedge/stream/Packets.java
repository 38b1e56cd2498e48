package dev.streamedge.stream;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.Unpooled;

/** Builds MediaPackets of a given size for the stream-core unit tests. */
final class Packets {

  private Packets() {
  }

  static MediaPacket packet(MediaKind kind, Role role, long timestamp, int size, long receivedNanos) {
    return new MediaPacket(kind, timestamp, role, Unpooled.wrappedBuffer(new byte[size]), receivedNanos);
  }

  static MediaPacket packet(MediaKind kind, Role role, long timestamp, int size) {
    return packet(kind, role, timestamp, size, System.nanoTime());
  }

  static MediaPacket sync(long timestamp, int size) {
    return packet(MediaKind.VIDEO, Role.SYNC, timestamp, size);
  }

  static MediaPacket frame(long timestamp, int size) {
    return packet(MediaKind.VIDEO, Role.FRAME, timestamp, size);
  }
}
