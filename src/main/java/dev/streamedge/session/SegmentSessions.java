package dev.streamedge.session;

/**
 * The sessions of the players that hold no connection, counted apart by protocol: HLS's and MPEG-DASH's,
 * each an {@link HlsSessions} with the same settings ({@code hls-sessions.*}).
 */
public record SegmentSessions(HlsSessions hls, HlsSessions dash) {

  /** Players counted now over both. */
  public int total() {
    return hls.total() + dash.total();
  }

  /** The sessions of {@code protocol}: {@link Protocol#HLS} or {@link Protocol#DASH}; null for another. */
  public HlsSessions of(Protocol protocol) {
    return protocol == Protocol.HLS ? hls : protocol == Protocol.DASH ? dash : null;
  }
}
