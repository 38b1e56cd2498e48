package dev.streamedge.ops;

import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;

/**
 * Whether the node is alive and whether it should get traffic, for Kubernetes probes and load
 * balancers. Ready means: every listener is bound, the cluster is joined (when clustered), and the node
 * is not draining. Any thread may read it; the node's start-up and shutdown write it.
 */
public final class Health {

  /** Whether this node is a member of a running cluster; null for a single node. */
  private final BooleanSupplier clusterJoined;
  private volatile boolean listening;
  private volatile boolean draining;

  private Health(BooleanSupplier clusterJoined) {
    this.clusterJoined = clusterJoined;
  }

  /** The health of a node without a cluster. */
  public static Health single() {
    return new Health(null);
  }

  /** The health of a cluster member; {@code joined} is asked at each readiness check, from any thread. */
  public static Health clustered(BooleanSupplier joined) {
    return new Health(joined);
  }

  /** Every listener of the node is bound. */
  public void listening() {
    listening = true;
  }

  /** The node stops taking new clients: readiness turns false from now on, for good. */
  public void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** The answer to a readiness probe: ready or not, and each check that decided it. */
  public Report readiness() {
    JsonObject checks = new JsonObject().put("listening", listening);
    boolean ready = listening && !draining;
    if (clusterJoined != null) {
      boolean joined = clusterJoined.getAsBoolean();
      checks.put("cluster", joined);
      ready &= joined;
    }
    checks.put("draining", draining);
    return new Report(ready, checks);
  }

  /**
   * A probe's answer.
   *
   * @param up whether the probe succeeds
   * @param checks what each check found, shown in the response body
   */
  public record Report(boolean up, JsonObject checks) {

    /** The response body: {@code {"status":"UP"|"DOWN","checks":{...}}}. */
    public JsonObject json() {
      return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks);
    }
  }
}
