package dev.streamedge.config;

import dev.streamedge.auth.DownAnswer;
import java.time.Duration;

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
 */
public record AuthCallbackConfig(String onPublish, String onPlay, String onPublishDone, String onPlayDone,
    String onDone, Duration timeout, DownAnswer whenDown, Duration cacheTtl, int cacheSize, int maxInFlight) {
}
