package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.dash.DashPeriod;
import dev.streamedge.dash.DashRun;
import dev.streamedge.dash.DashSegment;
import dev.streamedge.dash.DashTrack;
import dev.streamedge.net.WireBuffers;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A segment's and a part's memory is freed when the window lets go of it and no response holds it, not
 * when an old-generation collection happens to come: a response that took its hold before reads it whole,
 * and one that comes after finds it gone.
 */
@Tag("unit")
class HlsWindowMemoryTest {

  private static final byte[] INIT = {1, 2, 3};

  private static Buffer media(String text) {
    return WireBuffers.releasableCopy(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static HlsSegment segment(long sequence) {
    return new HlsSegment(sequence, 0, false, 2000, 0, media("ts" + sequence), media("m4s" + sequence), 7);
  }

  private static HlsPart part(long number, long segmentSequence) {
    return new HlsPart(number, segmentSequence, 0, 200, true, media("part" + number));
  }

  /** Whether a response could still take a hold on {@code media}; lets go of the hold it took. */
  private static boolean alive(Buffer media) {
    if (!WireBuffers.retain(media)) {
      return false;
    }
    WireBuffers.release(media);
    return true;
  }

  @Test
  void aSegmentsDashTracksAreFreedWithIt() {
    DashRun run = new DashRun(7, Buffer.buffer("v"), "avc1.64001f", 640, 360, Buffer.buffer("a"), "mp4a.40.2",
        44_100, 2);
    DashPeriod period = new DashPeriod(1, 0, 0, 0, 0);
    HlsWindow window = new HlsWindow(1, 0, () -> 200);
    Buffer video = media("video1");
    Buffer audio = media("audio1");
    HlsSegment first = new HlsSegment(1, 0, false, 2000, 0, media("ts1"), media("m4s1"), 7, new SegmentFile(),
        new DashSegment(1, run, period, new DashTrack(video, 0, 180_000), new DashTrack(audio, 0, 88_064)), null);
    window.add(first, INIT);
    // A response holds the video track, as one sending it would.
    assertThat(WireBuffers.retain(video)).isTrue();
    // Without DASH tracks (hls.dash off, or a segment with none) a segment goes the same way.
    window.add(segment(2), INIT);
    assertThat(alive(audio)).as("let go of with its segment").isFalse();
    assertThat(alive(video)).as("held by the response").isTrue();
    assertThat(video.toString()).isEqualTo("video1");
    WireBuffers.release(video);
    assertThat(alive(video)).as("once the response is done").isFalse();
  }

  @Test
  void aSegmentThatLeavesTheWindowIsFreedInBothVariants() {
    HlsWindow window = new HlsWindow(2, 1, () -> 200);
    HlsSegment first = segment(1);
    window.add(first, INIT);
    window.add(segment(2), INIT);
    window.add(segment(3), INIT);
    assertThat(alive(first.data())).as("still kept: three fit").isTrue();

    HlsSegment fourth = segment(4);
    window.add(fourth, INIT);

    assertThat(alive(first.data())).isFalse();
    assertThat(alive(first.fmp4())).isFalse();
    assertThat(alive(fourth.data())).isTrue();
    assertThat(window.segment(2).orElseThrow().fmp4().toString()).isEqualTo("m4s2");
  }

  @Test
  void aResponsesHoldOutlivesTheWindowAndTheLastHoldFreesTheMemory() {
    HlsWindow window = new HlsWindow(1, 0, () -> 200);
    HlsSegment first = segment(1);
    window.add(first, INIT);
    Buffer range = first.data().slice(1, 3);
    assertThat(WireBuffers.retain(range)).as("a range response holds the whole segment").isTrue();

    window.add(segment(2), INIT);

    assertThat(range.toString()).isEqualTo("s1");
    assertThat(first.data().toString()).isEqualTo("ts1");
    WireBuffers.release(range);
    assertThat(alive(first.data())).isFalse();
  }

  @Test
  void partsAreFreedWithTheSegmentsWhosePartsAreNoLongerKept() {
    HlsWindow window = new HlsWindow(6, 3, () -> 200);
    HlsPart oldest = part(1, 1);
    window.addPart(oldest, 2);
    window.add(segment(1), INIT);
    HlsPart second = part(2, 2);
    window.addPart(second, 3);
    window.add(segment(2), INIT);
    window.add(segment(3), INIT);
    assertThat(alive(oldest.data())).as("the last three segments keep their parts").isTrue();

    window.add(segment(4), INIT);

    assertThat(alive(oldest.data())).isFalse();
    assertThat(alive(second.data())).isTrue();
    assertThat(window.part(2).orElseThrow().data().toString()).isEqualTo("part2");
  }

  @Test
  void closingTheWindowFreesWhatItKept() {
    HlsWindow window = new HlsWindow(3, 0, () -> 200);
    HlsSegment kept = segment(1);
    HlsPart part = part(1, 2);
    window.add(kept, INIT);
    window.addPart(part, 2);

    window.close();

    assertThat(alive(kept.data())).isFalse();
    assertThat(alive(kept.fmp4())).isFalse();
    assertThat(alive(part.data())).isFalse();
  }

  @Test
  void aNodeClosingWhileItsPublisherIsOnFinishesTheOpenSegmentAndFreesItAll() throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), Duration.ofMillis(200), 6, 0, 1 << 20, 1);
    muxer.packet(HlsPartsTest.videoConfig(), 0);
    HlsPartsTest.video(muxer, 0, 1000, 25, 4_500);
    List<HlsPart> parts = muxer.window().parts();
    List<HlsSegment> segments = muxer.segments();
    assertThat(parts).anySatisfy(part -> assertThat(part.segmentSequence()).isGreaterThan(
        segments.get(segments.size() - 1).sequence()));

    muxer.window().close();
    muxer.discontinuity(); // the publisher leaves: the open segment is finished from its parts

    assertThat(parts).noneMatch(part -> alive(part.data()));
    assertThat(segments).noneMatch(segment -> alive(segment.data()) || alive(segment.fmp4()));
    assertThat(muxer.segments().size()).as("a closed window keeps nothing, new or old").isZero();
  }

  @Test
  void anEmptySegmentAndVertxBuffersCountNothing() {
    Buffer empty = WireBuffers.releasableCopy(new byte[0]);
    WireBuffers.release(empty);
    Buffer heap = Buffer.buffer("playlist");
    WireBuffers.release(heap);

    assertThat(alive(empty)).isTrue();
    assertThat(alive(heap)).isTrue();
    assertThat(heap.toString()).isEqualTo("playlist");
  }
}
