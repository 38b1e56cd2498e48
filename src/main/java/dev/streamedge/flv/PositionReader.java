package dev.streamedge.flv;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Reads a file at a position, as {@code FileChannel.read(ByteBuffer, long)} does: blocking. */
@FunctionalInterface
public interface PositionReader {

  /** Bytes read into {@code into} from {@code position}, or -1 at the end of the file. */
  int read(ByteBuffer into, long position) throws IOException;
}
