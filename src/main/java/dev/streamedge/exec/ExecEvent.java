package dev.streamedge.exec;

import java.util.Set;

/**
 * The events a command of {@code exec.*} runs on, as nginx-rtmp's exec directives, and the variables
 * each knows. {@link #PUSH} is nginx-rtmp's {@code exec}/{@code exec_push}: a process that runs while the
 * publish lasts; {@link #PULL} one that runs while a stream nobody publishes has viewers; {@link #STATIC} one
 * that runs while the node does, with no variable. The others are
 * one-shot notifications: started, not waited for, ended by {@code exec.event-timeout} at the latest.
 */
public enum ExecEvent {
  /** nginx-rtmp's exec_static: runs from the node's start to its end, whatever is published. */
  STATIC("static", true),
  PUSH("push", true),
  /** nginx-rtmp's exec_pull: runs while a stream nobody publishes here has viewers, to publish it. */
  PULL("pull", true),
  PUBLISH("publish", false),
  PUBLISH_DONE("publish-done", false),
  PLAY("play", false),
  PLAY_DONE("play-done", false),
  RECORD_DONE("record-done", false);

  /**
   * nginx-rtmp's session variables (app, flashver, swfurl, tcurl, pageurl, addr), its publish and play
   * ones (name, args), and ours: proto, the protocol (rtmp, rtmps, rtmpt, hls, http-flv...).
   */
  static final Set<String> SESSION = Set.of("app", "name", "args", "addr", "flashver", "swfurl", "tcurl", "pageurl",
      "proto");
  /** nginx-rtmp's exec_pull variables. */
  static final Set<String> STREAM = Set.of("app", "name");
  /** nginx-rtmp's exec_record_done variables, with the stream's app and name. */
  static final Set<String> RECORD = Set.of("app", "name", "path", "filename", "basename", "dirname", "recorder");

  private final String key;
  private final boolean managed;

  ExecEvent(String key, boolean managed) {
    this.key = key;
    this.managed = managed;
  }

  /** The config key of the event's commands. */
  public String configKey() {
    return "exec." + key;
  }

  /** The event as log lines name it. */
  public String label() {
    return key;
  }

  /** Whether its process lasts as long as the publish that started it (and is started again if it ends). */
  public boolean managed() {
    return managed;
  }

  /** The variables its commands may use. */
  public Set<String> variables() {
    return switch (this) {
      case STATIC -> Set.of();
      case PULL -> STREAM;
      case RECORD_DONE -> RECORD;
      default -> SESSION;
    };
  }
}
