package dev.streamedge.exec;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * nginx-rtmp's exec_pull as an {@link Upstream}, as on-demand pulls are: the first viewer of a stream of
 * {@code exec.apps} that nobody publishes here starts the {@code exec.pull} commands, which publish it (the
 * viewer waits meanwhile), and the last viewer's leaving ends them (an HLS packager of the stream is no
 * viewer). At most {@code exec.max-processes} streams are pulled at once; a viewer beyond them is not made
 * to wait. Runs live on the service's context.
 */
final class ExecPulls implements Upstream {

  private final ExecService service;
  private final List<ExecCommand> commands;
  private final Predicate<StreamKey> publishedHere;
  /** The runs by stream: changed on the service's context, read from any thread. */
  private final Map<StreamKey, List<ExecRun>> pulls = new ConcurrentHashMap<>();

  ExecPulls(ExecService service, List<ExecCommand> commands, Predicate<StreamKey> publishedHere) {
    this.service = service;
    this.commands = commands;
    this.publishedHere = publishedHere;
  }

  /** A viewer of {@code key} may wait for it: a pull command will publish it. Any thread. */
  @Override
  public boolean publishedElsewhere(StreamKey key) {
    return pulling(key) && (pulls.containsKey(key) || pulls.size() < service.config().maxProcesses());
  }

  /** The first viewer of {@code key}: the pull commands start, unless someone publishes it here. */
  @Override
  public void wanted(StreamKey key) {
    if (!pulling(key)) {
      return;
    }
    service.context().runOnContext(v -> {
      if (service.closed() || pulls.containsKey(key) || publishedHere.test(key)) {
        return;
      }
      List<ExecRun> runs = new ArrayList<>();
      Map<String, String> values = Map.of("app", key.app(), "name", key.name());
      for (ExecCommand command : commands) {
        runs.add(new ExecRun(service, command, values, new ExecJob(ExecEvent.PULL, key.toString())));
      }
      pulls.put(key, runs);
      runs.forEach(ExecRun::start);
    });
  }

  /**
   * The last RTMP or FLV viewer of {@code key} left: its pull commands are ended, as nginx-rtmp's are when
   * its last player goes, though the HLS packager of what they published still subscribes.
   */
  @Override
  public void viewersLeft(StreamKey key) {
    unwanted(key);
  }

  /** Nothing subscribes to {@code key} any more (an HLS request's packager that started a pull went idle). */
  @Override
  public void unwanted(StreamKey key) {
    if (!pulling(key)) {
      return;
    }
    service.context().runOnContext(v -> {
      List<ExecRun> runs = pulls.remove(key);
      if (runs != null) {
        runs.forEach(ExecRun::stop);
      }
    });
  }

  /** The node closes. On the service's context. */
  void stopAll() {
    pulls.values().forEach(runs -> runs.forEach(ExecRun::stop));
    pulls.clear();
  }

  private boolean pulling(StreamKey key) {
    return !commands.isEmpty() && service.config().runs(key.app());
  }
}
