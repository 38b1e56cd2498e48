package dev.streamedge.relay;

/** One connection of a pull to its source, whichever client made it. */
interface PullConnection {

  /** Closes it; the listener hears nothing more that matters (the pull has moved on). */
  void close();
}
