/**
 * Relays to and from other servers: push relays ({@code relay.push}), which publish each stream of an
 * app to each of its targets with the RTMP publish client, behind a bounded queue that skips to the next
 * keyframe for a slow target, reconnecting with backoff; and static pulls ({@code relay.pull}), which
 * play a stream from another server with the RTMP play client and publish it here. See docs/relays.md.
 */
package dev.streamedge.relay;
