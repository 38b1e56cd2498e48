package dev.streamedge.stream;

/**
 * A snapshot of one stream for logs and the API. {@code publisher} is null while nobody publishes;
 * {@code fanoutLoops} is the number of event loops each packet is handed to.
 */
public record StreamInfo(StreamKey key, String publisher, long publishedAtMillis, int subscribers, int fanoutLoops,
    int gopFrames, long gopBytes) {
}
