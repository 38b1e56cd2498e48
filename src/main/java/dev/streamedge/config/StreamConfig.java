package dev.streamedge.config;

import dev.streamedge.stream.PublishPolicy;

/** What happens to a stream as a whole, independent of its publisher's or players' connections. */
public record StreamConfig(PublishPolicy publishPolicy, GopCacheConfig gopCache) {
}
