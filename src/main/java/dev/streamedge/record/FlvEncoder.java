package dev.streamedge.record;

import dev.streamedge.flv.FlvTag;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.ByteBuf;
import java.util.Collection;

/**
 * FLV, tag by tag (FLV spec v10.1 annex E: no index, no trailer): the header, the configuration
 * packets, then each packet as a tag as it comes, so the file is valid up to its last whole tag. Any
 * codec is written as it came, and a new configuration is just another tag.
 */
final class FlvEncoder implements RecordingEncoder {

  @Override
  public void start(Collection<MediaPacket> configs, ByteBuf out) {
    boolean hasAudio = configs.stream().anyMatch(c -> c.kind() == MediaKind.AUDIO);
    boolean hasVideo = configs.stream().anyMatch(c -> c.kind() == MediaKind.VIDEO);
    FlvTag.writeHeader(out, hasAudio || !hasVideo, hasVideo || !hasAudio);
    for (MediaPacket config : configs) {
      packet(config, 0, out);
    }
  }

  @Override
  public void packet(MediaPacket packet, long fileTime, ByteBuf out) {
    FlvTag.write(out, packet.kind(), fileTime, packet.body());
  }

  @Override
  public void finish(ByteBuf out) {
  }

  @Override
  public boolean needsNewFile() {
    return false;
  }
}
