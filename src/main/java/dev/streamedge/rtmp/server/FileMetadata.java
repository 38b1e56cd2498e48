package dev.streamedge.rtmp.server;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.amf.EcmaArray;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The onMetaData a player of a file gets, with the file's length in it: a recording, or a file an encoder
 * wrote to a pipe, has a duration of 0 or none (the muxer could not go back to write it), and ffmpeg, ffprobe
 * and VLC then show no length and no seek bar. The duration is the file's last tag's timestamp, in seconds as
 * the FLV spec's onMetaData has it (Adobe FLV spec v10.1, §E.5).
 */
final class FileMetadata {

  private static final String ON_METADATA = "onMetaData";
  private static final String DURATION = "duration";

  private FileMetadata() {
  }

  /** An onMetaData holding only the duration, for a file without one of its own. */
  static ByteBuf of(long durationMillis) {
    Map<String, Object> entries = new LinkedHashMap<>();
    entries.put(DURATION, durationMillis / 1000.0);
    return Amf0.encodeAll(ON_METADATA, new EcmaArray(entries));
  }

  /**
   * {@code body} (a script data tag's) with the duration set when it is an onMetaData whose duration is
   * missing or not above 0; any other body, or one that does not decode, as it is.
   */
  static ByteBuf withDuration(ByteBuf body, long durationMillis) {
    List<Object> values;
    try {
      values = Amf0.decodeAll(body.duplicate());
    } catch (ProtocolException notAmf) {
      return body;
    }
    if (values.size() < 2 || !ON_METADATA.equals(values.get(0))) {
      return body;
    }
    Map<?, ?> entries = values.get(1) instanceof EcmaArray array ? array.entries()
        : values.get(1) instanceof Map<?, ?> map ? map : null;
    if (entries == null || entries.get(DURATION) instanceof Number known && known.doubleValue() > 0) {
      return body;
    }
    Map<String, Object> patched = new LinkedHashMap<>();
    entries.forEach((key, value) -> patched.put(String.valueOf(key), value));
    patched.put(DURATION, durationMillis / 1000.0);
    values.set(1, values.get(1) instanceof EcmaArray ? new EcmaArray(patched) : patched);
    try {
      return Amf0.encodeAll(values.toArray());
    } catch (IllegalArgumentException notEncodable) {
      // A value the encoder has no form for (a typed object, say): the file's own bytes rather than a guess.
      return body;
    }
  }
}
