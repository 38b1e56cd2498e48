package dev.streamedge.auth;

import dev.streamedge.stream.StreamKey;

/**
 * Told when an allowed publish or play starts and ends, whatever its protocol: what nginx-rtmp's exec
 * directives run on. Both calls come on the session's context and must return at once.
 */
public interface SessionListener {

  SessionListener NONE = new SessionListener() {
    @Override
    public void started(AuthRequest session, StreamKey stream) {
    }

    @Override
    public void ended(AuthRequest session) {
    }
  };

  /**
   * {@code session} started on {@code stream}: its key, or the name the publish callback renamed it to.
   * The same {@code session} instance is given to {@link #ended} when it ends.
   */
  void started(AuthRequest session, StreamKey stream);

  void ended(AuthRequest session);
}
