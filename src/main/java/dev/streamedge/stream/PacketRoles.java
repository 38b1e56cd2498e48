package dev.streamedge.stream;

import dev.streamedge.flv.FlvTags;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import io.netty.buffer.ByteBuf;

/**
 * Tells what a publisher's packet is to a player that joins: configuration to keep, a point to start
 * from, or a frame in between. Remembers whether the session carries video, because in an audio-only
 * stream every audio frame is a start point. One per stream, used on its home context.
 */
final class PacketRoles {

  private boolean videoSeen;

  Role classify(MediaKind kind, ByteBuf body, boolean isMetadata) {
    switch (kind) {
      case VIDEO:
        if (FlvTags.isVideoSequenceHeader(body)) {
          videoSeen = true;
          return Role.CONFIG;
        }
        if (FlvTags.isVideoKeyframe(body)) {
          videoSeen = true;
          return Role.SYNC;
        }
        return Role.FRAME;
      case AUDIO:
        if (FlvTags.isAudioSequenceHeader(body)) {
          return Role.CONFIG;
        }
        return videoSeen ? Role.FRAME : Role.SYNC;
      default:
        return isMetadata ? Role.CONFIG : Role.FRAME;
    }
  }

  /** A new publishing session: it may be audio-only where the last one had video. */
  void reset() {
    videoSeen = false;
  }
}
