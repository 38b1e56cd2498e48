package dev.streamedge.rtsp.client;

/**
 * What one RTSP client connection may hold and how long it waits, from the node's config.
 *
 * @param maxReplyBytes the largest header section, and the largest body (a DESCRIBE's SDP), of a reply
 * @param maxFrameSize the largest video or audio frame put together from RTP ({@code rtsp.max-frame-size})
 * @param silenceMillis how long a playing source may send nothing before the connection is dropped
 */
public record RtspClientLimits(int maxReplyBytes, int maxFrameSize, long silenceMillis) {

  public RtspClientLimits {
    if (maxReplyBytes < 1 || maxFrameSize < 1 || silenceMillis < 1) {
      throw new IllegalArgumentException("limits must be positive: " + maxReplyBytes + ", " + maxFrameSize + ", "
          + silenceMillis);
    }
  }
}
