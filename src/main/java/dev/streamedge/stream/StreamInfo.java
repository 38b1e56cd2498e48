package dev.streamedge.stream;

/** A snapshot of one stream for logs and the API. {@code publisher} is null while nobody publishes. */
public record StreamInfo(
    StreamKey key, String publisher, long publishedAtMillis, int subscribers, int gopFrames, long gopBytes) {
}
