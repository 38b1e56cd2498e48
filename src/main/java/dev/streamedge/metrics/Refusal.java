package dev.streamedge.metrics;

/** Why a connection or request was refused, the {@code reason} label of the refusal counter. */
public enum Refusal {
  /** Authentication refused it: a bad stream key or signature, or the auth callback said no. */
  AUTH("auth"),
  /** A configured limit was reached, such as {@code rtmp.max-connections} or {@code http.max-connections}. */
  LIMIT("limit");

  private final String label;

  Refusal(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
