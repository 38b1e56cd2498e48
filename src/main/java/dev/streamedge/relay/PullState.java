package dev.streamedge.relay;

/**
 * One pull, static or on demand, as the API shows it.
 *
 * @param app the stream's app here
 * @param key the stream's key here
 * @param source the source's URL up to its app
 * @param onDemand whether it was started by a viewer ({@code relay.pull-on-demand}), not by the config
 * @param state connecting, playing (connected, the source idle), publishing (the stream is live here)
 *     waiting (to reconnect), lingering (an on-demand pull
 *     whose last viewer left) or stopped
 * @param messagesReceived audio, video and data messages received over every connection
 * @param reconnects connections that dropped or failed and were tried again
 * @param lastError why the last connection ended or failed; empty when none did
 */
public record PullState(String app, String key, String source, boolean onDemand, String state, long messagesReceived,
    long reconnects, String lastError) {
}
