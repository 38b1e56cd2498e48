package dev.streamedge.rtmp.server;

/** The per-player queue bounds, from the {@code player.*} config keys, in the units the queue uses. */
record PlayerQueueSettings(long maxBytes, long maxDelayNanos, long maxBehindNanos) {
}
