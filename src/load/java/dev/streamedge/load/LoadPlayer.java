package dev.streamedge.load;

import io.vertx.core.Future;

/** A player the load generator opened, of whichever protocol. */
interface LoadPlayer {

  PlayerTrack track();

  /** Bytes received from the server so far; may be read from any thread. */
  long bytesReceived();

  Future<Void> close();
}
