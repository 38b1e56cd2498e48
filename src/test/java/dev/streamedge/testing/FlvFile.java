package dev.streamedge.testing;

import dev.streamedge.flv.FlvTags;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an FLV file (FLV spec v10.1 Annex E.2, E.3) into the packets the stream core would fan out:
 * sequence headers and script data are CONFIG, video keyframes SYNC, everything else FRAME.
 */
public final class FlvFile {

  private static final int TAG_AUDIO = 8;
  private static final int TAG_VIDEO = 9;
  private static final int TAG_SCRIPT = 18;

  private FlvFile() {
  }

  public static List<MediaPacket> read(Path file) throws Exception {
    ByteBuf in = Unpooled.wrappedBuffer(Files.readAllBytes(file));
    if (in.readableBytes() < 13 || in.getMedium(0) != 0x464C56) {
      throw new IllegalArgumentException(file + " is not an FLV file");
    }
    in.readerIndex((int) in.getUnsignedInt(5) + 4); // header, PreviousTagSize0
    List<MediaPacket> packets = new ArrayList<>();
    while (in.readableBytes() >= 11) {
      int type = in.readUnsignedByte() & 0x1F;
      int size = in.readUnsignedMedium();
      long timestamp = in.readUnsignedMedium() | (long) in.readUnsignedByte() << 24;
      in.skipBytes(3); // StreamID
      ByteBuf body = in.readRetainedSlice(size);
      in.skipBytes(4); // PreviousTagSize
      MediaKind kind = switch (type) {
        case TAG_AUDIO -> MediaKind.AUDIO;
        case TAG_VIDEO -> MediaKind.VIDEO;
        case TAG_SCRIPT -> MediaKind.DATA;
        default -> null;
      };
      if (kind != null) {
        packets.add(new MediaPacket(kind, timestamp, role(kind, body), body, 0));
      }
    }
    return packets;
  }

  /** The same packets with {@code offset} added to every timestamp. */
  public static List<MediaPacket> shifted(List<MediaPacket> packets, long offset) {
    return packets.stream().map(p -> new MediaPacket(p.kind(), p.timestamp() + offset, p.role(), p.body(), p.encodings(),
        p.receivedNanos())).toList();
  }

  private static MediaPacket.Role role(MediaKind kind, ByteBuf body) {
    return switch (kind) {
      case DATA -> MediaPacket.Role.CONFIG;
      case VIDEO -> FlvTags.isVideoSequenceHeader(body) ? MediaPacket.Role.CONFIG
          : FlvTags.isVideoKeyframe(body) ? MediaPacket.Role.SYNC : MediaPacket.Role.FRAME;
      case AUDIO -> FlvTags.isAudioSequenceHeader(body) ? MediaPacket.Role.CONFIG : MediaPacket.Role.FRAME;
    };
  }
}
