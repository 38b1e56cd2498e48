package dev.streamedge.cluster;

import dev.streamedge.stream.StreamKey;
import io.vertx.core.json.JsonObject;

/**
 * One line of the {@link StreamDirectory}: which node is the origin of a stream, since when and for whom.
 * Stored as JSON text, so that the map's atomic compare-and-set operations compare plain strings and
 * nodes of different builds still read each other's entries.
 *
 * @param nodeId the origin node's cluster id
 * @param publishedAtMillis when the claim was made, wall clock
 * @param publisherAddress the publishing client's address, for operators
 * @param video the video codec, once the publisher sent its sequence header, else ""
 * @param audio the audio codec, once the publisher sent its sequence header, else ""
 */
public record DirectoryEntry(String nodeId, String app, String key, long publishedAtMillis, String publisherAddress,
    String video, String audio) {

  static DirectoryEntry of(String nodeId, StreamKey key, String publisherAddress) {
    return new DirectoryEntry(nodeId, key.app(), key.name(), System.currentTimeMillis(), publisherAddress, "", "");
  }

  static DirectoryEntry fromJson(String json) {
    JsonObject o = new JsonObject(json);
    return new DirectoryEntry(o.getString("nodeId"), o.getString("app"), o.getString("key"),
        o.getLong("publishedAtMillis"), o.getString("publisherAddress"), o.getString("video", ""),
        o.getString("audio", ""));
  }

  DirectoryEntry withCodecs(String videoCodec, String audioCodec) {
    return new DirectoryEntry(nodeId, app, key, publishedAtMillis, publisherAddress, videoCodec, audioCodec);
  }

  String toJson() {
    return new JsonObject()
        .put("nodeId", nodeId)
        .put("app", app)
        .put("key", key)
        .put("publishedAtMillis", publishedAtMillis)
        .put("publisherAddress", publisherAddress)
        .put("video", video)
        .put("audio", audio)
        .encode();
  }
}
