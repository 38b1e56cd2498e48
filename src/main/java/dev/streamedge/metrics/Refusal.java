package dev.streamedge.metrics;

/** Why a connection or request was refused or cut, the {@code reason} label of the refusal counter. */
public enum Refusal {
  /** Authentication refused it: a bad stream key or signature, or the auth callback said no. */
  AUTH("auth"),
  /** A configured limit was reached, such as {@code rtmp.max-connections} or {@code http.max-connections}. */
  LIMIT("limit"),
  /** The client's address holds {@code http.max-connections-per-address} connections already. */
  ADDRESS_LIMIT("address-limit"),
  /** No whole HTTP request head within {@code http.header-timeout}: a slow or silent client. */
  HEADER_TIMEOUT("header-timeout"),
  /** No whole HTTP request body within {@code http.body-timeout}. */
  BODY_TIMEOUT("body-timeout"),
  /**
   * A kept-alive HTTP connection with no request in flight for {@code http.idle-timeout}: routine
   * housekeeping (players that left without closing), not a sign of trouble.
   */
  IDLE_TIMEOUT("idle-timeout");

  private final String label;

  Refusal(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
