package dev.streamedge.metrics;

/** Why a connection or request was refused or cut, the {@code reason} label of the refusal counter. */
public enum Refusal {
  /** Authentication refused it: a bad stream key or signature, or the auth callback said no. */
  AUTH("auth"),
  /** A configured limit was reached, such as {@code rtmp.max-connections} or {@code http.max-connections}. */
  LIMIT("limit"),
  /**
   * The client's address holds {@code http.max-connections-per-address} or
   * {@code rtmp.max-connections-per-address} connections already.
   */
  ADDRESS_LIMIT("address-limit"),
  /** No whole HTTP request head within {@code http.header-timeout}: a slow or silent client. */
  HEADER_TIMEOUT("header-timeout"),
  /** No whole HTTP request body within {@code http.body-timeout}. */
  BODY_TIMEOUT("body-timeout"),
  /**
   * A kept-alive HTTP connection with no request in flight for {@code http.idle-timeout}: routine
   * housekeeping (players that left without closing), not a sign of trouble.
   */
  IDLE_TIMEOUT("idle-timeout"),
  /** No RTMP handshake and {@code connect} within {@code rtmp.handshake-timeout}: a silent or stalled client. */
  HANDSHAKE_TIMEOUT("handshake-timeout"),
  /**
   * Bytes that break the RTMP protocol (a bad handshake, chunk or AMF), or a connection that does not start
   * with the PROXY protocol header its listener wants: the connection is closed with one log line.
   */
  BAD_INPUT("bad-input"),
  /** An RTMP message longer than the connection may send: {@code rtmp.max-message-size(-before-publish)}. */
  MESSAGE_SIZE("message-size"),
  /** An RTMP connection closed to make room in {@code rtmp.max-incomplete-bytes}, its partly received message the stalest. */
  INCOMPLETE_BUDGET("incomplete-budget"),
  /** An RTMP message left incomplete past {@code rtmp.partial-message-timeout}. */
  PARTIAL_MESSAGE_TIMEOUT("partial-message-timeout"),
  /** An RTMP connection that neither published nor played within {@code rtmp.publish-or-play-timeout}. */
  PUBLISH_OR_PLAY_TIMEOUT("publish-or-play-timeout"),
  /**
   * A publish that would take a live key over was refused: its publisher is sending
   * ({@code stream.takeover-after}), or the key changed hands {@code stream.max-takeovers-per-minute} times.
   */
  TAKEOVER("takeover"),
  /** An RTMPT session that made no request for {@code rtmpt.session-timeout}: a client gone without {@code /close}. */
  SESSION_TIMEOUT("session-timeout");

  private final String label;

  Refusal(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
