/**
 * Relays to other servers: push relays ({@code relay.push}), which publish each stream of an app to
 * each of its targets with the RTMP publish client, behind a bounded queue that skips to the next
 * keyframe for a slow target, reconnecting with backoff. See docs/relays.md.
 */
package dev.streamedge.relay;
