package dev.streamedge.hls;

import io.vertx.core.buffer.Buffer;

/**
 * An AES-128 key of a stream's MPEG-TS segments (RFC 8216 §4.3.2.4, §5.2), served at {@code key-<id>.key} next
 * to them while a kept segment is encrypted with it.
 *
 * @param id the media sequence number of the first segment it encrypts: unique over the packager's life, as
 *     those are
 * @param bytes its 16 bytes, as the key URI serves them; shared, nobody may modify them
 */
public record HlsKey(long id, Buffer bytes) {

  /** The id, not the key: a record's own would put the key's bytes in logs. */
  @Override
  public String toString() {
    return "HlsKey[id=" + id + "]";
  }
}
