package dev.streamedge.config;

import dev.streamedge.auth.AuthMode;
import dev.streamedge.auth.AuthRules;
import java.util.Arrays;
import java.util.List;

/**
 * Who may publish and play. The loader has checked that every mode the rules use has what it needs
 * (keys, a secret, a callback URL), and that the two secrets differ.
 *
 * @param publish the publish rules, {@code app=mode} items (see {@link AuthRules})
 * @param play the play rules, for RTMP, HLS, HTTP-FLV and WebSocket-FLV alike
 * @param publishKeys the keys mode {@code keys} accepts, separated by commas
 * @param publishSecret the HMAC-SHA256 secret of signed publish URLs; empty when unused
 * @param playSecret the HMAC-SHA256 secret of signed play URLs; empty when unused
 * @param callback the nginx-rtmp style HTTP callbacks
 */
public record AuthConfig(String publish, String play, String publishKeys, String publishSecret, String playSecret,
    AuthCallbackConfig callback) {

  public AuthRules publishRules() {
    return AuthRules.parse(publish, AuthMode.PUBLISH_MODES);
  }

  public AuthRules playRules() {
    return AuthRules.parse(play, AuthMode.PLAY_MODES);
  }

  public List<String> publishKeyList() {
    return publishKeys.isEmpty() ? List.of() : Arrays.asList(publishKeys.split(","));
  }

  /** Without the keys and secrets, which must not reach a log. */
  @Override
  public String toString() {
    return "AuthConfig[publish=" + publish + ", play=" + play + ", publishKeys=" + publishKeyList().size()
        + " keys, publishSecret=" + (publishSecret.isEmpty() ? "none" : "set") + ", playSecret="
        + (playSecret.isEmpty() ? "none" : "set") + ", callback=" + callback + "]";
  }
}
