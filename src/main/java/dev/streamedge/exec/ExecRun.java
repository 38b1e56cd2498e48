package dev.streamedge.exec;

import java.util.Map;

/**
 * One {@code exec.push} command of one publish: started when the publish starts, started again
 * {@code exec.respawn-timeout} after it ends while the publish lasts (with {@code exec.respawn}), ended
 * when the publish ends. A start that {@code exec.max-processes} refuses is tried again after the same
 * wait, so a push gets its process once others end. Lives on the service's context.
 */
final class ExecRun {

  private final ExecService service;
  private final ExecCommand command;
  private final Map<String, String> values;
  private final ExecJob job;
  private ExecProcess process;
  private long timer = -1;
  private boolean stopped;
  private boolean respawning;

  ExecRun(ExecService service, ExecCommand command, Map<String, String> values, ExecJob job) {
    this.service = service;
    this.command = command;
    this.values = values;
    this.job = job;
  }

  void start() {
    timer = -1;
    if (stopped) {
      return;
    }
    boolean launched = service.launch(command, values, job, this::started, this::exited);
    if (!launched) {
      later();
    }
  }

  /** The publish ended: the process is ended, and not started again. */
  void stop() {
    stopped = true;
    service.cancel(timer);
    timer = -1;
    if (process != null) {
      service.end(process, service.config().killsAtOnce());
    }
  }

  private void started(ExecProcess started) {
    if (respawning) {
      service.meters().respawned();
    }
    process = started;
    if (stopped) {
      service.end(started, service.config().killsAtOnce());
    }
  }

  private void exited(ExecProcess exited) {
    process = null;
    if (!stopped && service.config().respawn()) {
      ExecService.LOG.info("exec {} pid={}: {} exited; started again in {} ms", job.label(),
          exited == null ? "-" : exited.pid(), command.program(), service.config().respawnTimeout().toMillis());
      later();
    }
  }

  private void later() {
    if (stopped || !service.config().respawn() || service.closed()) {
      return;
    }
    respawning = true;
    timer = service.timer(service.config().respawnTimeout().toMillis(), this::start);
  }
}
