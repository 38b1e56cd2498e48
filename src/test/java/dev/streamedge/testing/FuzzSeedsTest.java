package dev.streamedge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A fuzz run replays its golden seeds, adds its own seed, and a failure says how to replay it. */
@Tag("unit")
class FuzzSeedsTest {

  private final String before = System.getProperty(FuzzSeeds.PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (before == null) {
      System.clearProperty(FuzzSeeds.PROPERTY);
    } else {
      System.setProperty(FuzzSeeds.PROPERTY, before);
    }
  }

  @Test
  void theGoldenSeedsComeFirstThenTheSeedOfThisRun() {
    System.setProperty(FuzzSeeds.PROPERTY, "0xfeed");
    assertThat(FuzzSeeds.with(7, 8)).containsExactly(7, 8, 0xfeed);
    assertThat(FuzzSeeds.with(0xfeed)).as("a golden seed runs once").containsExactly(0xfeed);
    assertThat(FuzzSeeds.with()).containsExactly(0xfeed);
  }

  @Test
  void thePropertyTakesDecimalAndTheHexThatFailuresPrint() {
    System.setProperty(FuzzSeeds.PROPERTY, "-42");
    assertThat(FuzzSeeds.runSeed()).isEqualTo(-42);
    System.setProperty(FuzzSeeds.PROPERTY, "0x" + Long.toHexString(-42L));
    assertThat(FuzzSeeds.runSeed()).isEqualTo(-42);
  }

  @Test
  void withoutThePropertyARunDrawsOneSeedForAllItsFuzzTests() {
    System.clearProperty(FuzzSeeds.PROPERTY);
    assertThat(FuzzSeeds.runSeed()).isEqualTo(FuzzSeeds.runSeed());
  }

  @Test
  void aFailureNamesItsSeedAndTheReplayPropertyAndTheSeedReplaysTheSameInputs() {
    long seed = 0x8000_0000_0000_0001L;
    long first = FuzzSeeds.run(seed, Random::nextLong);
    assertThatThrownBy(() -> FuzzSeeds.run(seed, random -> {
      throw new AssertionError("input " + random.nextLong() + " broke the parser");
    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("fuzz seed 0x8000000000000001 (replay: -Dfuzz.seed=0x8000000000000001;")
        .hasMessageContaining("input " + first + " broke the parser");
    System.setProperty(FuzzSeeds.PROPERTY, "0x8000000000000001");
    assertThat(FuzzSeeds.runSeed()).isEqualTo(seed);
  }
}
