package dev.streamedge.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Recent answers, bounded both ways: an answer is used for {@code ttlNanos} after it came, and at most
 * {@code maxEntries} are kept, the least recently used leaving first. Pure: the caller gives the time.
 * Not thread-safe; one context owns it.
 */
final class AnswerCache<K, V> {

  private record Stored<V>(V value, long storedNanos) {
  }

  private final long ttlNanos;
  private final Map<K, Stored<V>> entries;

  AnswerCache(int maxEntries, long ttlNanos) {
    this.ttlNanos = ttlNanos;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Stored<V>> eldest) {
        return size() > maxEntries;
      }
    };
  }

  Optional<V> get(K key, long nowNanos) {
    Stored<V> stored = entries.get(key);
    if (stored == null) {
      return Optional.empty();
    }
    if (nowNanos - stored.storedNanos() >= ttlNanos) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(stored.value());
  }

  void put(K key, V value, long nowNanos) {
    if (ttlNanos > 0) {
      entries.put(key, new Stored<>(value, nowNanos));
    }
  }

  int size() {
    return entries.size();
  }
}
