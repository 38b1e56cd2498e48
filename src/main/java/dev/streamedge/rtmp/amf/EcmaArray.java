package dev.streamedge.rtmp.amf;

import java.util.Map;
import java.util.Objects;

/**
 * An AMF0 ECMA array (AMF0 spec §2.10): string keys in order, like an object, but written with the
 * 0x08 marker. Kept apart from plain maps so that values such as onMetaData go back out as ECMA arrays.
 *
 * @param entries the properties in wire order
 */
public record EcmaArray(Map<String, Object> entries) {

  public EcmaArray {
    Objects.requireNonNull(entries, "entries");
  }
}
