package dev.streamedge.cluster.link;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import io.vertx.core.buffer.Buffer;

/**
 * One media packet on its way from a stream's origin node to one edge node over the clustered event
 * bus. Frames to one edge are numbered; {@code resync} marks the first frame after the origin skipped
 * that edge ahead (out of credit), so the edge can tell a deliberate jump from a lost message.
 *
 * @param link the edge's number for the pull this frame belongs to, unique on that edge
 * @param sequence counts the frames sent to this edge for this stream, from 0
 * @param resync the origin skipped frames before this one on purpose; this one is a sync point or
 *     configuration
 * @param kind audio, video or script data
 * @param timestamp milliseconds on the origin's output timeline
 * @param role configuration, sync point or frame, as the origin classified it
 * @param metadata script data that is the stream's onMetaData
 * @param body the FLV tag body
 */
public record MediaFrame(long link,
    long sequence, boolean resync, MediaKind kind, long timestamp, Role role, boolean metadata, Buffer body) {

  public int size() {
    return body.length();
  }
}
