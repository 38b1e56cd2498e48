package dev.streamedge.stream;

/** The connection that publishes a stream, as the stream core sees it. */
public interface StreamPublisher {

  /** Ends the publishing connection (takeover, operator kick). Callable from any thread. */
  void kick(String reason);

  /** Where the publisher comes from, for logs. */
  String peer();
}
