package dev.streamedge.rtmp.server;

import dev.streamedge.rtmp.message.Command;
import java.util.List;
import java.util.Map;

/**
 * What nginx-rtmp's callbacks are told of a publish or play command besides its name: a publish's {@code type}
 * ({@code live}, {@code record}, {@code append}; RTMP 1.0 §7.2.2.6), a play's {@code start}, {@code duration}
 * and {@code reset} (§7.2.2.1), written as nginx-rtmp writes them (numbers as 32-bit unsigned, reset 0 or 1;
 * what the client left out as 0).
 */
final class CommandFields {

  /** A play or publish of the node's own making, as a redirect's: nothing the client said. */
  static final List<Map.Entry<String, String>> NONE = List.of();

  private CommandFields() {
  }

  static List<Map.Entry<String, String>> publish(Command command) {
    String type = command.stringArg(1);
    return List.of(Map.entry("type", type == null ? "" : type.length() > 32 ? type.substring(0, 32) : type));
  }

  static List<Map.Entry<String, String>> play(Command command) {
    return List.of(Map.entry("start", unsigned(command, 1)), Map.entry("duration", unsigned(command, 2)),
        Map.entry("reset", command.args().size() > 3 && Boolean.TRUE.equals(command.args().get(3)) ? "1" : "0"));
  }

  private static String unsigned(Command command, int index) {
    double value = command.args().size() > index && command.args().get(index) instanceof Double d ? d : 0;
    return Long.toString(((long) value) & 0xFFFFFFFFL);
  }
}
