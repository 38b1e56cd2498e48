package dev.streamedge.rtsp;

import io.netty.buffer.ByteBuf;

/**
 * An interleaved binary frame (RFC 2326 §10.12): {@code $}, a channel byte, a 16-bit big-endian length, then
 * that many bytes of data: a publisher's RTP and RTCP packets (RECORD over TCP), or a player's RTCP receiver
 * reports.
 *
 * @param channel the channel, 0 to 255 (the Transport header's interleaved channels)
 * @param data the frame's data, 0 to 65535 bytes: a slice of the buffer the decoder read, valid as long as that
 *     buffer is (no copy, no reference count of its own)
 */
public record InterleavedFrame(int channel, ByteBuf data) implements RtspMessage {

  /** The length of the frame's data. */
  public int length() {
    return data.readableBytes();
  }
}
