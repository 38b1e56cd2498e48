package dev.streamedge.load;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One context on each event loop, to spread connections over them. Vert.x 5 gives every thread that is
 * no event loop one sticky context, so connections opened from the load generator's main thread would
 * all share one event loop; opened from these contexts, they go round-robin.
 */
final class EventLoopContexts {

  private final List<Context> contexts;
  private int next;

  private EventLoopContexts(List<Context> contexts) {
    this.contexts = List.copyOf(contexts);
  }

  /** Deploys an empty verticle once per event loop and keeps its context. */
  static Future<EventLoopContexts> deploy(Vertx vertx, int eventLoops) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(eventLoops).setThreadingModel(ThreadingModel.EVENT_LOOP))
        .map(id -> new EventLoopContexts(contexts));
  }

  /** The next context, round-robin; call from one thread. */
  Context next() {
    Context context = contexts.get(next);
    next = (next + 1) % contexts.size();
    return context;
  }
}
