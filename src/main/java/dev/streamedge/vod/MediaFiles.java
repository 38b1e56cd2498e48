package dev.streamedge.vod;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/** Opens a file to play by what its first bytes say it is, FLV or MP4: blocking, for a worker thread. */
final class MediaFiles {

  /** Top-level box types an MP4 (or QuickTime) file starts with (ISO/IEC 14496-12 §4.2, §8.1). */
  private static final List<String> MP4_FIRST_BOXES = List.of("ftyp", "moov", "mdat", "free", "skip", "wide");

  private MediaFiles() {
  }

  /**
   * The file at {@code path} to play; {@link FilePlayback.Unplayable} when there is none, or it is neither FLV
   * nor MP4 (an MP4 whose index does not read fails as an IOException, with the reason).
   */
  static MediaFile open(Path path, int maxTagSize, int maxIndexBytes) throws FilePlayback.Unplayable, IOException {
    if (!Files.isRegularFile(path)) {
      throw new FilePlayback.Unplayable("no such file", true);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException gone) {
      throw new FilePlayback.Unplayable("no such file", true);
    }
    try {
      ByteBuffer signature = ByteBuffer.allocate(8);
      while (signature.hasRemaining() && channel.read(signature, signature.position()) >= 0) {
        // a short read of a regular file: read on
      }
      byte[] first = Arrays.copyOf(signature.array(), signature.position());
      if (first.length >= 3 && first[0] == 'F' && first[1] == 'L' && first[2] == 'V') {
        return FlvMediaFile.open(channel, maxTagSize);
      }
      if (first.length == 8 && MP4_FIRST_BOXES.contains(new String(first, 4, 4, StandardCharsets.ISO_8859_1))) {
        return Mp4MediaFile.open(channel, maxIndexBytes, maxTagSize);
      }
      throw new FilePlayback.Unplayable("neither FLV nor MP4", false);
    } catch (FilePlayback.Unplayable | IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
