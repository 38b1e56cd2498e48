package dev.streamedge.config;

import java.time.Duration;

/**
 * How far a slow player may fall behind before it loses frames and, later, its connection.
 *
 * @param queueMaxBytes bound on the bytes queued for one player
 * @param queueMaxDelay how far behind live the queue may reach before it skips to the next keyframe
 * @param maxBehind how long a player may stay behind before it is disconnected
 * @param socketWriteBuffer bytes in the socket's own write queue before the player queue takes over
 * @param socketSendBuffer the kernel send buffer of a player's socket; left to the OS it grows to
 *     several MiB on Linux, tens of seconds of a stream: counted as lag on native epoll, unseen on NIO
 * @param mergeWrite how long a player's media (RTMP, HTTP-FLV, WebSocket-FLV) may wait so that it goes
 *     out in fewer, larger kernel writes: each write costs the kernel far more than the bytes in it;
 *     zero holds nothing
 * @param maxAddedLatency the most a busy event loop may hold a player's media so that it goes out in fewer
 *     writes; a quiet loop holds nothing (beyond {@code mergeWrite}); zero turns this off
 * @param quietWriteRate the writes per second, per event loop, its players would cost unmerged under
 *     which the loop counts as quiet for {@code maxAddedLatency}
 * @param flvRepublishWait how long an HTTP-FLV or WebSocket-FLV stream stays open after its publisher left,
 *     for one that comes back on the key (an encoder reconnecting after a network cut); zero ends it at once
 */
public record PlayerConfig(ByteSize queueMaxBytes, Duration queueMaxDelay, Duration maxBehind,
    ByteSize socketWriteBuffer, ByteSize socketSendBuffer, Duration mergeWrite, Duration maxAddedLatency,
    int quietWriteRate, Duration flvRepublishWait) {
}
