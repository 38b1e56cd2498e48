package dev.streamedge.ops;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/** The load of this node's process, as the dashboard shows it: CPU, cores, heap, uptime. */
public final class NodeLoad {

  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private NodeLoad() {
  }

  /** Reads /proc on Linux: call it on a worker thread, not an event loop. */
  public static JsonObject now() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new JsonObject()
        .put("cpu", Math.max(0, OS.getProcessCpuLoad()))
        .put("systemCpu", Math.max(0, OS.getCpuLoad()))
        .put("cores", OS.getAvailableProcessors())
        .put("heapUsed", heap.getUsed())
        .put("heapMax", heap.getMax())
        .put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
  }
}
