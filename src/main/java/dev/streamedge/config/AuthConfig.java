package dev.streamedge.config;

import dev.streamedge.auth.AppAddressRules;
import dev.streamedge.auth.AuthMode;
import dev.streamedge.auth.AuthRules;
import dev.streamedge.auth.CallbackMethod;
import dev.streamedge.auth.DownAnswer;
import java.time.Duration;
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
 * @param publishAccess which addresses may publish, nginx-rtmp's allow/deny lines, node-wide or per app (see
 *     {@link AppAddressRules})
 * @param playAccess which addresses may play
 */
public record AuthConfig(String publish, String play, String publishKeys, String publishSecret, String playSecret,
    Callback callback, String publishAccess, String playAccess) {

  public AppAddressRules publishAddresses() {
    return AppAddressRules.parse(publishAccess);
  }

  public AppAddressRules playAddresses() {
    return AppAddressRules.parse(playAccess);
  }

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
    return "AuthConfig[publish=" + publish + ", play=" + play + ", publishAccess=" + publishAccess + ", playAccess="
        + playAccess + ", publishKeys=" + publishKeyList().size()
        + " keys, publishSecret=" + (publishSecret.isEmpty() ? "none" : "set") + ", playSecret="
        + (playSecret.isEmpty() ? "none" : "set") + ", callback=" + callback + "]";
  }

  /**
   * The operator's auth service, called nginx-rtmp style: a form-encoded POST per check or event.
   * Empty URLs are not called.
   *
   * @param onPublish asked before a publish of an app in mode callback; 2xx allows
   * @param onPlay asked before a play of an app in mode callback; 2xx allows
   * @param onPublishDone told when a publish ends
   * @param onPlayDone told when an RTMP or FLV play ends
   * @param onDone told when a publish or an RTMP or FLV play ends
   * @param timeout how long a call may take before the service counts as down
   * @param whenDown the answer when the service is down, too slow or overloaded
   * @param cacheTtl how long an answer is reused for the same request; zero for never
   * @param cacheSize the most answers kept
   * @param maxInFlight the most calls open at once; beyond them a check gets {@code whenDown} and an
   *     event is dropped
   * @param onUpdate asked every {@code updateInterval} during a publish or an RTMP or FLV play; an answer
   *     other than 2xx ends it
   * @param updateInterval how often {@code onUpdate} is asked about each session
   * @param onConnect asked before each RTMP connect is answered, whatever the app; 2xx allows
   * @param onDisconnect told when an RTMP connection that sent connect closes
   * @param method how every call sends its form: a POST body or a GET query
   */
  public record Callback(String onPublish, String onPlay, String onPublishDone, String onPlayDone,
      String onDone, Duration timeout, DownAnswer whenDown, Duration cacheTtl, int cacheSize, int maxInFlight,
      String onUpdate, Duration updateInterval, String onConnect, String onDisconnect, CallbackMethod method) {
  }
}
