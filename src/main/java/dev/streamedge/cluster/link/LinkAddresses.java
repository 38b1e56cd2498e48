package dev.streamedge.cluster.link;

/**
 * The event-bus addresses of the media link, one pair per node, registered when the node starts: a
 * consumer registered later might not be known yet on the node that sends to it, and a message to an
 * address nobody is known to consume is dropped without a word.
 *
 * <p>To {@link #origin}: JSON requests {@code {"op":"pull","edge","link","app","key","window"}} (the
 * reply carries the window granted), {@code {"op":"ack","edge","link","bytes"}} and
 * {@code {"op":"stop","edge","link"}}. To {@link #edge}: {@link MediaFrame}s, and JSON events
 * {@code {"link","event":"published"|"unpublished","frames"}}, in the order the origin sent them as far as
 * the bus keeps it; {@code frames} is how many frames the link carried before the event, and an edge that has
 * not had them all yet holds an unpublish back until they come (or {@code EdgePulls}' last-frames time).
 */
final class LinkAddresses {

  static final String OP = "op";
  static final String PULL = "pull";
  static final String ACK = "ack";
  static final String STOP = "stop";
  static final String EVENT = "event";
  static final String PUBLISHED = "published";
  static final String UNPUBLISHED = "unpublished";
  static final String FRAMES = "frames";

  private LinkAddresses() {
  }

  /** Where a node takes pull requests and acknowledgements for the streams it publishes. */
  static String origin(String nodeId) {
    return "streamedge.link.origin." + nodeId;
  }

  /** Where a node takes the frames and events of the streams it pulls. */
  static String edge(String nodeId) {
    return "streamedge.link.edge." + nodeId;
  }
}
