package dev.streamedge.relay;

/**
 * One static pull, as the API shows it.
 *
 * @param app the stream's app here
 * @param key the stream's key here
 * @param source the source's URL up to its app
 * @param state connecting, playing (connected, the source idle), publishing (the stream is live here)
 *     or waiting (to reconnect)
 * @param messagesReceived audio, video and data messages received over every connection
 * @param reconnects connections that dropped or failed and were tried again
 * @param lastError why the last connection ended or failed; empty when none did
 */
public record PullState(String app, String key, String source, String state, long messagesReceived,
    long reconnects, String lastError) {
}
