package dev.streamedge.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The lines a child process writes (ffmpeg's standard error, an exec command's), for the log. */
public final class ChildOutput {

  private ChildOutput() {
  }

  /**
   * Reads {@code in} to its end, giving each non-empty line (ended by '\n' or '\r', as ffmpeg's progress
   * lines are) to {@code line}, cut at {@code maxLine} bytes so that a child cannot make the node hold an
   * endless line. Blocks: call it on the child's own thread. Closes {@code in}.
   */
  public static void lines(InputStream in, int maxLine, Consumer<String> line) {
    try (in) {
      byte[] bytes = new byte[maxLine];
      int length = 0;
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n' || c == '\r') {
          if (length > 0) {
            line.accept(new String(bytes, 0, length, StandardCharsets.UTF_8));
          }
          length = 0;
        } else if (length < maxLine) {
          bytes[length++] = (byte) c;
        }
      }
    } catch (IOException e) {
      // The pipe closed with the process.
    }
  }
}
