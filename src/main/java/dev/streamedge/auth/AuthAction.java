package dev.streamedge.auth;

/** What a client asks to do with a stream. */
public enum AuthAction {
  PUBLISH("publish"),
  PLAY("play");

  private final String call;

  AuthAction(String call) {
    this.call = call;
  }

  /** The {@code call} field of the nginx-rtmp callbacks: publish, play. */
  public String call() {
    return call;
  }
}
