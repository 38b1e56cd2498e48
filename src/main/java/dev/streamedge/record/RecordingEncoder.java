package dev.streamedge.record;

import dev.streamedge.media.MediaPacket;
import io.netty.buffer.ByteBuf;
import java.util.Collection;

/**
 * Turns the packets of one recording file into the file's bytes, as they come, so that what has been
 * written is a playable file at any moment. Pure; one per file; used on one thread.
 */
interface RecordingEncoder {

  /**
   * Starts the file with the latest configuration packets (metadata, sequence headers).
   *
   * @param out where the bytes go
   */
  void start(Collection<MediaPacket> configs, ByteBuf out);

  /**
   * One packet of the stream, at {@code fileTime} ms in the file (its first media packet at 0); the
   * bytes it completes go to {@code out}, perhaps none yet.
   */
  void packet(MediaPacket packet, long fileTime, ByteBuf out);

  /** The file ends: what is still held goes to {@code out}. */
  void finish(ByteBuf out);

  /**
   * Whether this file cannot take the stream any further (a codec configuration changed that the
   * file's header fixed): the recording goes on in a new file.
   */
  boolean needsNewFile();
}
