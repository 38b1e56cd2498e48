package dev.streamedge.config;

import dev.streamedge.net.PinnedTrust;
import dev.streamedge.relay.PullSource;
import dev.streamedge.relay.PushTarget;
import java.time.Duration;
import java.util.List;

/**
 * Relays to other servers.
 *
 * @param push {@code app=URL} items: each stream published on an app is pushed to each of its URLs
 *     (see {@link PushTarget})
 * @param pushQueueMaxBytes bound on the bytes queued for one target; past it the target skips to the
 *     next keyframe, as a slow player does
 * @param pull {@code app/key=URL} items: each stream of this node is played from its URL from the start
 *     (see {@link PullSource})
 * @param pullOnDemand {@code app=URL} templates, parsed as {@code push}'s: a stream of the app that a viewer
 *     asks for and nobody publishes here is played from its URL while it has viewers
 * @param pullOnDemandMax the most on-demand pulls at once; a viewer past it waits for a publisher
 * @param pullLinger how long an on-demand pull goes on after its last viewer left
 * @param reconnectMin the first wait before a dropped or refused target is tried again
 * @param reconnectMax the longest wait: each failure in a row doubles it up to this
 * @param connectTimeout how long a connection may take to reach NetStream.Publish.Start
 * @param tlsFingerprints SHA-256 fingerprints of certificates a relay's TLS server may show and be trusted
 *     ({@link PinnedTrust#parse}), "" for none: the JVM's authorities only
 */
public record RelayConfig(String push, ByteSize pushQueueMaxBytes, String pull, String pullOnDemand,
    int pullOnDemandMax, Duration pullLinger, Duration reconnectMin,
    Duration reconnectMax, Duration connectTimeout, String tlsFingerprints) {

  public List<PushTarget> pushTargets() {
    return PushTarget.parseAll(push);
  }

  public List<PushTarget> pullTemplates() {
    return PushTarget.parsePullTemplates(pullOnDemand);
  }

  public List<PullSource> pullSources() {
    return PullSource.parseAll(pull);
  }

  /** The pinned certificates' fingerprints, lower-case hex, each once; empty for none. */
  public List<String> pinnedFingerprints() {
    return PinnedTrust.parse(tlsFingerprints);
  }
}
