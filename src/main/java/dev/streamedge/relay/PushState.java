package dev.streamedge.relay;

/**
 * One stream's push to one target, as the API shows it.
 *
 * @param app the stream's app
 * @param key the stream's key
 * @param target the target's label: its URL up to the app, without the stream name (a service's secret)
 * @param state connecting, connected, waiting (to reconnect), idle (the publisher left) or stopped
 * @param connected whether the target is publishing now
 * @param bytesSent bytes sent to the target over every connection, chunk headers included
 * @param reconnects connections that dropped or failed and were tried again
 * @param droppedFrames frames skipped because the target fell behind
 * @param lastError why the last connection ended or failed; empty when none did
 * @param lastErrorAtMillis when it did; 0 when none did
 * @param connectedAtMillis when the latest connection reached NetStream.Publish.Start; 0 before that
 */
public record PushState(String app, String key, String target, String state, boolean connected, long bytesSent,
    long reconnects, long droppedFrames, String lastError, long lastErrorAtMillis, long connectedAtMillis) {
}
