package dev.streamedge.stream;

/** What happens when a second publisher arrives for a key that is already live. */
public enum PublishPolicy {
  /** The new session replaces the old one: what an OBS that lost its network needs. */
  TAKEOVER,
  /** The new session is refused with NetStream.Publish.BadName. */
  REJECT
}
