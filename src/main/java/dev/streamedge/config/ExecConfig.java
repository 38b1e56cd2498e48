package dev.streamedge.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.streamedge.exec.ExecCommand;
import dev.streamedge.exec.ExecEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Programs run on stream events, as nginx-rtmp's {@code exec} directives (see docs/exec.md).
 *
 * @param apps apps whose events run the commands: comma-separated names, * for all, "" for none
 * @param staticCommands commands, one per line, that run while the node does (nginx-rtmp's exec_static)
 * @param push commands, one per line, that run while a publish lasts (nginx-rtmp's exec_push)
 * @param pull commands, one per line, that run while a stream nobody publishes here has viewers (exec_pull)
 * @param publish commands run once when a publish starts
 * @param publishDone commands run once when a publish ends
 * @param play commands run once when a play starts
 * @param playDone commands run once when a play ends
 * @param recordDone commands run once when a recording file is complete
 * @param maxProcesses most processes of all these at once; an event beyond them runs nothing
 * @param respawn whether a push command that ends while its publish lasts is started again
 * @param respawnTimeout how long after it ended
 * @param killSignal how a push command is ended with its publish: {@code term} (SIGTERM, SIGKILL after
 *     {@code killTimeout}) or {@code kill} (SIGKILL at once, nginx-rtmp's default)
 * @param killTimeout how long a process may take to exit after SIGTERM
 * @param eventTimeout how long a one-shot command may run before it is ended
 */
public record ExecConfig(String apps, @JsonProperty("static") String staticCommands, String push, String pull,
    String publish, String publishDone, String play, String playDone, String recordDone, int maxProcesses,
    boolean respawn, Duration respawnTimeout, String killSignal, Duration killTimeout, Duration eventTimeout) {

  /** Whether the events of {@code app} run commands. */
  public boolean runs(String app) {
    return apps.equals("*") || (!apps.isEmpty() && Arrays.asList(apps.split(",")).contains(app));
  }

  /** The commands of {@code event}, parsed; the config check has read them once already. */
  public List<ExecCommand> commands(ExecEvent event) {
    return lines(text(event)).stream().map(line -> ExecCommand.parse(line, event.variables())).toList();
  }

  /** Whether a stream's event (any but the node's start) has a command for an app. */
  public boolean enabled() {
    return !apps.isEmpty() && Arrays.stream(ExecEvent.values())
        .anyMatch(event -> event != ExecEvent.STATIC && !lines(text(event)).isEmpty());
  }

  /** Whether SIGKILL ends a push command at once. */
  public boolean killsAtOnce() {
    return killSignal.equals("kill");
  }

  String text(ExecEvent event) {
    return switch (event) {
      case STATIC -> staticCommands;
      case PUSH -> push;
      case PULL -> pull;
      case PUBLISH -> publish;
      case PUBLISH_DONE -> publishDone;
      case PLAY -> play;
      case PLAY_DONE -> playDone;
      case RECORD_DONE -> recordDone;
    };
  }

  /** The non-blank lines of a value: one command each. */
  static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }
}
