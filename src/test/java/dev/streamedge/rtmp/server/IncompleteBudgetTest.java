package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.server.IncompleteBudget.Holder;
import dev.streamedge.rtmp.server.IncompleteBudget.Verdict;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who goes when the node's account of partly received messages is short: a stalled holder (its oldest
 * message started over a second ago), the stalest first; with none, the one holding the most; the
 * connection asking only when it is that one itself.
 */
@Tag("unit")
class IncompleteBudgetTest {

  private static final long SECOND = 1_000_000_000L;

  private final IncompleteBudget budget = new IncompleteBudget(1000);

  /** A holder that counts how often it was told it is evicted. */
  private record Counted(Holder holder, AtomicInteger evictions) {
    Verdict hold(long bytes, long oldestNanos) {
      return holder.hold(bytes, oldestNanos);
    }
  }

  private Counted open() {
    AtomicInteger evictions = new AtomicInteger();
    return new Counted(budget.open(evictions::incrementAndGet), evictions);
  }

  @Test
  void holdingsWithinTheBudgetAreAllHeldAndTheirReleasesAreCounted() {
    Counted a = open();
    Counted b = open();
    long now = System.nanoTime();
    assertThat(a.hold(600, now)).isEqualTo(Verdict.HELD);
    assertThat(b.hold(400, now)).isEqualTo(Verdict.HELD);
    assertThat(budget.total()).isEqualTo(1000);
    assertThat(a.hold(100, now)).isEqualTo(Verdict.HELD);
    assertThat(budget.total()).isEqualTo(500);
    b.holder().close();
    assertThat(budget.total()).isEqualTo(100);
    assertThat(a.evictions().get() + b.evictions().get()).isZero();
  }

  @Test
  void aSenderThatNeedsRoomEvictsTheStalledHolderWhoseMessageWaitedLongestAndKeepsItsBytes() {
    long now = System.nanoTime();
    Counted older = open();
    Counted stalest = open();
    Counted sender = open();
    older.hold(300, now - 2 * SECOND);
    stalest.hold(300, now - 5 * SECOND);
    sender.hold(300, now);

    assertThat(sender.hold(600, now)).isEqualTo(Verdict.HELD);

    assertThat(stalest.evictions().get()).isEqualTo(1);
    assertThat(older.evictions().get()).isZero();
    assertThat(budget.total()).isEqualTo(900);
    // The evicted one learns it at its next change, and its close releases nothing twice.
    assertThat(stalest.hold(400, now)).isEqualTo(Verdict.EVICTED);
    stalest.holder().close();
    assertThat(budget.total()).isEqualTo(900);
  }

  @Test
  void aStalledHolderGoesFirstEvenWhenItHoldsLessThanTheSender() {
    long now = System.nanoTime();
    Counted stalled = open();
    Counted sender = open();
    stalled.hold(100, now - 2 * SECOND);
    sender.hold(850, now);

    assertThat(sender.hold(950, now)).isEqualTo(Verdict.HELD);

    assertThat(stalled.evictions().get()).isEqualTo(1);
    assertThat(budget.total()).isEqualTo(950);
  }

  @Test
  void severalStalledHoldersGoUntilTheSenderFits() {
    long now = System.nanoTime();
    Counted[] stalled = new Counted[4];
    for (int i = 0; i < stalled.length; i++) {
      stalled[i] = open();
      stalled[i].hold(200, now - (10 - i) * SECOND);
    }
    Counted sender = open();

    assertThat(sender.hold(550, now)).isEqualTo(Verdict.HELD);

    // 800 + 550 is 350 too much: the two stalest holders go, the other two stay.
    assertThat(stalled[0].evictions().get()).isEqualTo(1);
    assertThat(stalled[1].evictions().get()).isEqualTo(1);
    assertThat(stalled[2].evictions().get()).isZero();
    assertThat(stalled[3].evictions().get()).isZero();
    assertThat(budget.total()).isEqualTo(950);
  }

  @Test
  void withNoStalledHolderTheSenderHoldingTheMostIsRefusedAndOthersKeepTheirBytes() {
    long now = System.nanoTime();
    Counted live = open();
    Counted sender = open();
    live.hold(400, now);
    sender.hold(500, now);

    assertThat(sender.hold(700, now)).isEqualTo(Verdict.REFUSED);

    assertThat(live.evictions().get()).isZero();
    assertThat(budget.total()).isEqualTo(400);
    assertThat(live.hold(900, now)).isEqualTo(Verdict.HELD);
  }

  @Test
  void withNoStalledHolderTheOneHoldingTheMostGoesForASmallerSender() {
    long now = System.nanoTime();
    Counted big = open();
    Counted sender = open();
    big.hold(900, now);

    assertThat(sender.hold(200, now)).isEqualTo(Verdict.HELD);

    assertThat(big.evictions().get()).isEqualTo(1);
    assertThat(budget.total()).isEqualTo(200);
  }

  @Test
  void aSenderWhoseOwnMessageIsTheStalestIsRefused() {
    long now = System.nanoTime();
    Counted stalled = open();
    Counted sender = open();
    stalled.hold(500, now - 2 * SECOND);
    sender.hold(400, now - 3 * SECOND);

    assertThat(sender.hold(600, now - 3 * SECOND)).isEqualTo(Verdict.REFUSED);

    assertThat(stalled.evictions().get()).isZero();
    assertThat(budget.total()).isEqualTo(500);
  }
}
