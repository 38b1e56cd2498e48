package dev.streamedge.config;

import static dev.streamedge.config.ConfigKeys.key;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamedge.exec.ExecCommand;
import dev.streamedge.exec.ExecEvent;
import java.time.Duration;
import java.util.List;

/** The keys of the {@code exec} section (a part of {@link ConfigKeys}), and the check of its commands. */
final class ExecKeys {

  /** Most commands of one event. */
  static final int MAX_COMMANDS = 16;

  private ExecKeys() {
  }

  static List<ConfigKey> all() {
    return List.of(
        key("exec.apps", "", Rule.appList(),
            "Apps whose stream events run the exec.* commands: comma-separated names, * for all, \"\" for none"),
        key("exec.static", "", commands(),
            "Commands, one per line, each run from the node's start to its end and started again if it ends, whatever"
                + " exec.apps says (nginx-rtmp's exec_static; e.g. an ffmpeg that publishes a camera); no variables"),
        key("exec.push", "", commands(),
            "Commands, one per line, each run while a publish lasts, ended with it, started again if it ends"
                + " (nginx-rtmp's exec/exec_push); $name $app $args $addr $flashver $swfurl $tcurl $pageurl $proto"),
        key("exec.pull", "", commands(),
            "Commands, one per line, each run while a stream of the apps that nobody publishes here has viewers,"
                + " to publish it (nginx-rtmp's exec_pull; e.g. an ffmpeg that pulls a camera on demand); $app $name"),
        key("exec.publish", "", commands(), "Commands run once when a publish starts (nginx-rtmp's exec_publish)"),
        key("exec.publish-done", "", commands(), "Commands run once when a publish ends (exec_publish_done)"),
        key("exec.play", "", commands(),
            "Commands run once when an RTMP, HTTP-FLV or WebSocket-FLV play starts (exec_play)"),
        key("exec.play-done", "", commands(), "Commands run once when a play ends (exec_play_done)"),
        key("exec.record-done", "", commands(),
            "Commands run once when a recording file is complete (exec_record_done); $app $name $path $filename"
                + " $basename $dirname $recorder"),
        key("exec.max-processes", "16", Rule.integer(1, 1000),
            "Most exec processes at once on this node; an event beyond them runs nothing, with a log line"),
        key("exec.respawn", "true", Rule.bool(),
            "Start a push command again when it ends while its publish lasts (nginx-rtmp's respawn)"),
        key("exec.respawn-timeout", "5s", Rule.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            "How long after a push command ended it is started again (respawn_timeout)"),
        key("exec.kill-signal", "term", Rule.oneOf(List.of("term", "kill")),
            "How a push command is ended with its publish: term (SIGTERM, then SIGKILL after exec.kill-timeout)"
                + " or kill (SIGKILL, nginx-rtmp's default)"),
        key("exec.kill-timeout", "5s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "How long a process may take to exit after SIGTERM before SIGKILL"),
        key("exec.event-timeout", "30s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "How long a one-shot command (publish, publish-done, play, play-done, record-done) may run before it"
                + " is ended"));
  }

  /** Command lines: any text but control characters other than line breaks and tabs. */
  private static Rule commands() {
    return new Rule("<commands>", "\"\", or command lines (one per line, at most " + MAX_COMMANDS + ") without control"
        + " characters but tabs", text -> text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n'
            && c != '\r' && c != '\t') && ExecConfig.lines(text).size() <= MAX_COMMANDS);
  }

  /**
   * Reads every command of every event: the message names the key and the line, not the line's text,
   * which may hold a stream key.
   */
  static void check(ObjectNode tree) {
    for (ExecEvent event : ExecEvent.values()) {
      String key = event.configKey();
      List<String> lines = ExecConfig.lines(tree.at("/" + key.replace('.', '/')).asText());
      for (int i = 0; i < lines.size(); i++) {
        try {
          ExecCommand.parse(lines.get(i), event.variables());
        } catch (IllegalArgumentException e) {
          throw new ConfigException("config key " + key + ": command " + (i + 1) + " is not allowed: "
              + e.getMessage());
        }
      }
    }
  }
}
