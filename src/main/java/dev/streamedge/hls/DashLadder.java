package dev.streamedge.hls;

import dev.streamedge.dash.DashSegment;
import dev.streamedge.dash.Manifest;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The MPEG-DASH MPD of a stream and its ladder's renditions, from their packagers' last snapshots. */
final class DashLadder {

  private DashLadder() {
  }

  /**
   * The MPD of {@code key} (whose snapshot is {@code source}) listing each of {@code renditions} that has
   * segments; one not packaged yet is handed to {@code start} and listed by a later MPD.
   */
  static Optional<Buffer> render(Map<StreamKey, HlsSnapshot> snapshots, HlsSnapshot source, StreamKey key,
      List<StreamKey> renditions, Consumer<StreamKey> start) {
    List<Manifest.Rendition> listed = new ArrayList<>(renditions.size());
    for (StreamKey rendition : renditions) {
      HlsSnapshot snapshot = snapshots.get(rendition);
      if (snapshot == null) {
        start.accept(rendition); // not packaged yet (an on-demand app): the request starts it
        continue;
      }
      // Listed, a rendition is being watched even while no viewer fetches its segments: its packaging goes on.
      snapshot.touch();
      List<DashSegment> segments = snapshot.dashListed();
      if (!segments.isEmpty()) {
        String id = rendition.name().startsWith(key.name() + "_")
            ? rendition.name().substring(key.name().length() + 1) : rendition.name();
        listed.add(new Manifest.Rendition(id, rendition.name() + "/", segments));
      }
    }
    return source.ladderManifest(key.name() + "/", listed);
  }
}
