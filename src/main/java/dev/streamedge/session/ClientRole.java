package dev.streamedge.session;

/** What a client does with a stream. */
public enum ClientRole {
  PUBLISHER("publisher"),
  PLAYER("player"),
  /** Connected, and neither publishing nor playing yet (or any more). */
  IDLE("idle");

  private final String label;

  ClientRole(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
