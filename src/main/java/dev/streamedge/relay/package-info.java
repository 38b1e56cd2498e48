/**
 * Relays to and from other servers: push relays ({@code relay.push}), which publish each stream of an
 * app to each of its targets with the RTMP publish client, behind a bounded queue that skips to the next
 * keyframe for a slow target, reconnecting with backoff; and pulls, static ({@code relay.pull}) or on
 * demand ({@code relay.pull-on-demand}), which play a stream from another server with the RTMP play
 * client or over HTTP-FLV ({@link dev.streamedge.relay.HttpFlvPull}) and publish it here. See
 * docs/relays.md.
 */
package dev.streamedge.relay;
