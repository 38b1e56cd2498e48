package dev.streamedge.config;

import java.time.Duration;

/**
 * How far a slow player may fall behind before it loses frames and, later, its connection.
 *
 * @param queueMaxBytes bound on the bytes queued for one player
 * @param queueMaxDelay how far behind live the queue may reach before it skips to the next keyframe
 * @param maxBehind how long a player may stay behind before it is disconnected
 * @param socketWriteBuffer bytes in the socket's own write queue before the player queue takes over
 */
public record PlayerConfig(
    ByteSize queueMaxBytes, Duration queueMaxDelay, Duration maxBehind, ByteSize socketWriteBuffer) {
}
