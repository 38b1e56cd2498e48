package dev.streamedge.stream;

import static dev.streamedge.stream.Packets.frame;
import static dev.streamedge.stream.Packets.packet;
import static dev.streamedge.stream.Packets.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import dev.streamedge.media.MediaPacket;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class GopCacheTest {

  @Test
  void ignoresEverythingBeforeTheFirstSyncPoint() {
    GopCache gop = new GopCache(1_000_000, 1000);
    gop.add(frame(0, 10));
    gop.add(packet(MediaKind.AUDIO, Role.FRAME, 1, 10));
    assertThat(gop.snapshot()).isEmpty();
    assertThat(gop.bytes()).isZero();

    MediaPacket key = sync(2, 100);
    MediaPacket next = frame(3, 10);
    gop.add(key);
    gop.add(next);
    assertThat(gop.snapshot()).containsExactly(key, next);
    assertThat(gop.bytes()).isEqualTo(110);
    assertThat(gop.frames()).isEqualTo(2);
  }

  @Test
  void eachSyncPointStartsANewGop() {
    GopCache gop = new GopCache(1_000_000, 1000);
    gop.add(sync(0, 100));
    gop.add(frame(1, 10));
    gop.add(frame(2, 10));
    MediaPacket key2 = sync(3, 50);
    MediaPacket after = frame(4, 5);
    gop.add(key2);
    gop.add(after);
    assertThat(gop.snapshot()).containsExactly(key2, after);
    assertThat(gop.bytes()).isEqualTo(55);
  }

  @Test
  void gopOfExactlyMaxBytesIsKept() {
    GopCache gop = new GopCache(100, 1000);
    gop.add(sync(0, 60));
    gop.add(frame(1, 40));
    assertThat(gop.frames()).isEqualTo(2);
    assertThat(gop.bytes()).isEqualTo(100);
  }

  @Test
  void gopOneByteOverMaxBytesIsDroppedUntilTheNextSyncPoint() {
    GopCache gop = new GopCache(100, 1000);
    gop.add(sync(0, 60));
    gop.add(frame(1, 41));
    assertThat(gop.snapshot()).isEmpty();
    assertThat(gop.bytes()).isZero();

    gop.add(frame(2, 1));
    gop.add(frame(3, 1));
    assertThat(gop.snapshot()).as("no caching mid-GOP after an overflow").isEmpty();

    MediaPacket key = sync(4, 10);
    MediaPacket next = frame(5, 10);
    gop.add(key);
    gop.add(next);
    assertThat(gop.snapshot()).containsExactly(key, next);
    assertThat(gop.bytes()).isEqualTo(20);
  }

  @Test
  void syncPointLargerThanMaxBytesIsNotCachedNorAnythingAfterIt() {
    GopCache gop = new GopCache(100, 1000);
    gop.add(sync(0, 101));
    gop.add(frame(1, 1));
    assertThat(gop.snapshot()).isEmpty();
    assertThat(gop.bytes()).isZero();
  }

  @Test
  void gopOfExactlyMaxFramesIsKept() {
    GopCache gop = new GopCache(1_000_000, 3);
    gop.add(sync(0, 1));
    gop.add(frame(1, 1));
    gop.add(frame(2, 1));
    assertThat(gop.frames()).isEqualTo(3);
  }

  @Test
  void gopOfMaxFramesPlusOneIsDroppedUntilTheNextSyncPoint() {
    GopCache gop = new GopCache(1_000_000, 3);
    gop.add(sync(0, 1));
    gop.add(frame(1, 1));
    gop.add(frame(2, 1));
    gop.add(frame(3, 1));
    assertThat(gop.snapshot()).isEmpty();
    assertThat(gop.frames()).isZero();
    gop.add(frame(4, 1));
    assertThat(gop.snapshot()).isEmpty();

    MediaPacket key = sync(5, 1);
    gop.add(key);
    assertThat(gop.snapshot()).containsExactly(key);
  }

  @Test
  void maxBytesZeroDisablesTheCache() {
    GopCache gop = new GopCache(0, 1000);
    gop.add(sync(0, 1));
    gop.add(frame(1, 1));
    assertThat(gop.snapshot()).isEmpty();
    assertThat(gop.bytes()).isZero();
    assertThat(gop.frames()).isZero();
  }

  @Test
  void snapshotIsAnImmutableCopyUnaffectedByLaterPackets() {
    GopCache gop = new GopCache(1_000_000, 1000);
    MediaPacket key = sync(0, 10);
    gop.add(key);
    List<MediaPacket> snapshot = gop.snapshot();
    gop.add(frame(1, 10));
    gop.add(sync(2, 10));
    gop.clear();
    assertThat(snapshot).containsExactly(key);
    assertThatThrownBy(() -> snapshot.add(key)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void clearEmptiesTheCacheAndWaitsForTheNextSyncPoint() {
    GopCache gop = new GopCache(1_000_000, 1000);
    gop.add(sync(0, 10));
    gop.clear();
    gop.add(frame(1, 10));
    assertThat(gop.snapshot()).isEmpty();
    assertThat(gop.bytes()).isZero();
  }
}
