package dev.streamedge.stream;

import static dev.streamedge.stream.Packets.frame;
import static dev.streamedge.stream.Packets.packet;
import static dev.streamedge.stream.Packets.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import dev.streamedge.media.MediaPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MetaCacheTest {

  private static MediaPacket config(MediaKind kind, long timestamp, int size) {
    return packet(kind, Role.CONFIG, timestamp, size);
  }

  private static List<MediaPacket> kept(MetaCache meta) {
    List<MediaPacket> out = new ArrayList<>();
    meta.addTo(out);
    return out;
  }

  @Test
  void handsOutMetadataThenVideoThenAudioWhateverOrderTheyCameIn() {
    MetaCache meta = new MetaCache();
    MediaPacket audio = config(MediaKind.AUDIO, 0, 4);
    MediaPacket video = config(MediaKind.VIDEO, 1, 40);
    MediaPacket metadata = config(MediaKind.DATA, 2, 300);
    meta.put(audio);
    meta.put(video);
    meta.put(metadata);

    assertThat(kept(meta)).containsExactly(metadata, video, audio);
  }

  @Test
  void keepsOnlyTheLatestOfEachKind() {
    MetaCache meta = new MetaCache();
    MediaPacket oldVideo = config(MediaKind.VIDEO, 0, 40);
    MediaPacket audio = config(MediaKind.AUDIO, 0, 4);
    MediaPacket newVideo = config(MediaKind.VIDEO, 5000, 42);
    meta.put(oldVideo);
    meta.put(audio);
    meta.put(newVideo);

    assertThat(kept(meta)).containsExactly(newVideo, audio);
    assertThat(meta.bytes()).isEqualTo(46);
  }

  @Test
  void leavesOutTheKindsItHasNotSeen() {
    MetaCache meta = new MetaCache();
    assertThat(meta.isEmpty()).isTrue();
    assertThat(kept(meta)).isEmpty();
    assertThat(meta.bytes()).isZero();

    MediaPacket audio = config(MediaKind.AUDIO, 0, 4);
    meta.put(audio);
    assertThat(meta.isEmpty()).isFalse();
    assertThat(kept(meta)).containsExactly(audio);
  }

  @Test
  void addsAfterWhatTheListAlreadyHolds() {
    MetaCache meta = new MetaCache();
    MediaPacket video = config(MediaKind.VIDEO, 0, 40);
    meta.put(video);
    MediaPacket before = frame(0, 10);
    List<MediaPacket> out = new ArrayList<>(List.of(before));

    meta.addTo(out);

    assertThat(out).containsExactly(before, video);
  }

  @Test
  void clearForgetsEverything() {
    MetaCache meta = new MetaCache();
    meta.put(config(MediaKind.DATA, 0, 300));
    meta.put(config(MediaKind.VIDEO, 0, 40));
    meta.put(config(MediaKind.AUDIO, 0, 4));

    meta.clear();

    assertThat(meta.isEmpty()).isTrue();
    assertThat(kept(meta)).isEmpty();
    assertThat(meta.bytes()).isZero();
  }

  @Test
  void refusesWhatIsNotConfiguration() {
    MetaCache meta = new MetaCache();

    assertThatThrownBy(() -> meta.put(sync(0, 100))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> meta.put(frame(1, 10))).isInstanceOf(IllegalArgumentException.class);
    assertThat(meta.isEmpty()).isTrue();
  }
}
