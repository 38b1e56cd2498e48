package dev.streamedge.testing;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

/**
 * The seeds a fuzz test runs: its golden seeds, kept in the test class, and this run's seed, from
 * {@code -Dfuzz.seed=...} (decimal or 0x hex) or else new at every run, so that every run also
 * tries inputs no run tried before. A failure names the seed and how to replay it; a seed that found
 * a fault goes into the test's golden seeds with the fix, and from then on every run replays it.
 * See docs/testing.md#fuzz-seeds.
 */
public final class FuzzSeeds {

  /** The system property that sets this run's seed. */
  public static final String PROPERTY = "fuzz.seed";

  /** Drawn once per JVM, so that one {@code -Dfuzz.seed} replays every fuzz test of a run. */
  private static final long DRAWN = ThreadLocalRandom.current().nextLong();

  /** A fuzz run of one seed. */
  public interface Run<T> {
    T run(Random random) throws Exception;
  }

  private FuzzSeeds() {
  }

  /** This run's seed: {@code -Dfuzz.seed}, or one drawn when the JVM started. */
  public static long runSeed() {
    String property = System.getProperty(PROPERTY, "").strip();
    if (property.isEmpty()) {
      return DRAWN;
    }
    if (property.startsWith("0x") || property.startsWith("0X")) {
      // Unsigned, as the failure message prints seeds: 0x8000... and above are negative longs.
      return Long.parseUnsignedLong(property.substring(2), 16);
    }
    return Long.parseLong(property);
  }

  /** {@code golden}, then this run's seed (once, if it is golden too). */
  public static long[] with(long... golden) {
    long run = runSeed();
    return Arrays.stream(golden).anyMatch(seed -> seed == run) ? golden.clone()
        : LongStream.concat(Arrays.stream(golden), LongStream.of(run)).toArray();
  }

  /**
   * Runs {@code body} with a {@link Random} of {@code seed}. Whatever it throws comes back as an
   * AssertionError that starts with the seed and the property to replay it with.
   */
  public static <T> T run(long seed, Run<T> body) {
    try {
      return body.run(new Random(seed));
    } catch (Throwable t) {
      throw new AssertionError(describe(seed) + ": " + t, t);
    }
  }

  /** How a failure names its seed. */
  public static String describe(long seed) {
    String hex = "0x" + Long.toHexString(seed);
    return "fuzz seed " + hex + " (replay: -D" + PROPERTY + "=" + hex
        + "; a seed that found a fault becomes a golden seed of the test)";
  }
}
