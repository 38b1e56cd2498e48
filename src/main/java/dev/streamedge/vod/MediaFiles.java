package dev.streamedge.vod;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a file to play by what its first bytes say it is: blocking, for a worker thread. */
final class MediaFiles {

  private MediaFiles() {
  }

  /** The file at {@code path} to play; {@link FilePlayback.Unplayable} when there is none, or not one of ours. */
  static MediaFile open(Path path, int maxTagSize) throws FilePlayback.Unplayable, IOException {
    if (!Files.isRegularFile(path)) {
      throw new FilePlayback.Unplayable("no such file");
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException gone) {
      throw new FilePlayback.Unplayable("no such file");
    }
    try {
      ByteBuffer signature = ByteBuffer.allocate(3);
      while (signature.hasRemaining() && channel.read(signature, signature.position()) >= 0) {
        // a short read of a regular file: read on
      }
      if (signature.position() == 3 && signature.get(0) == 'F' && signature.get(1) == 'L' && signature.get(2) == 'V') {
        return FlvMediaFile.open(channel, maxTagSize);
      }
      throw new FilePlayback.Unplayable("not an FLV file");
    } catch (FilePlayback.Unplayable | IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
