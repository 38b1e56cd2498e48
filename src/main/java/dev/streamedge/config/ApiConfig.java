package dev.streamedge.config;

/**
 * The HTTP API under {@code /api/v1}.
 *
 * @param enabled whether the API is served at all
 * @param token the bearer token every API request must carry; empty to answer loopback clients only
 */
public record ApiConfig(boolean enabled, String token) {

  /** Without the token, which must not reach a log. */
  @Override
  public String toString() {
    return "ApiConfig[enabled=" + enabled + ", token=" + (token.isEmpty() ? "none" : "set") + "]";
  }
}
