package dev.streamedge.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Static stream keys: a publish passes with {@code ?key=<k>}, k one of the configured keys. */
final class PublishKeys {

  private final List<byte[]> keys;

  PublishKeys(List<String> keys) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** Checks a {@code key} argument; null when there is none. */
  AuthDecision verify(String key) {
    if (key == null) {
      return AuthDecision.refuse("no key argument");
    }
    byte[] given = key.getBytes(StandardCharsets.UTF_8);
    boolean known = false;
    // Every key is compared, each in constant time, so timing tells nothing about which came close.
    for (byte[] candidate : keys) {
      known |= MessageDigest.isEqual(candidate, given);
    }
    return known ? AuthDecision.ALLOW : AuthDecision.refuse("unknown key");
  }
}
