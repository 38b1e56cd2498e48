import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Sums the allocation of one JFR recording made with alloc.jfc: {@code java AllocSites.java REC.jfr}.
 *
 * <p>The total is exact: each thread's {@code jdk.ThreadAllocationStatistics} (the JVM's count of bytes
 * the thread allocated, read every second) at the last reading minus the first. Where it went is
 * sampled: each {@code jdk.ObjectAllocationSample} weighs the bytes its thread allocated since the
 * previous sample, so the weights add up to about the total and share it out by stack. Prints one
 * JSON object: seconds, bytes, bytes per thread, and the top sites by class and allocating frame, and by
 * the first frame of our own code on the stack.
 */
public class AllocSites {

  private static final int TOP = 25;

  public static void main(String[] args) throws Exception {
    Map<Long, long[]> perThread = new HashMap<>();
    Map<Long, String> threadNames = new HashMap<>();
    Instant first = null;
    Instant last = null;
    Map<String, Long> bySite = new HashMap<>();
    Map<String, Long> byOwnFrame = new HashMap<>();
    Map<String, Long> byThread = new HashMap<>();
    long sampledWeight = 0;
    List<RecordedEvent> events = new ArrayList<>(RecordingFile.readAllEvents(Path.of(args[0])));
    events.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
    // A thread's first sample weighs all it allocated since the recording's start and before it, by
    // an earlier recording (jcmd's own JFR.start counts too): left out, the weights sum to the total.
    Set<Long> sampledThreads = new HashSet<>();
    for (RecordedEvent event : events) {
      String type = event.getEventType().getName();
      if (type.equals("jdk.ThreadAllocationStatistics")) {
        RecordedThread thread = event.getThread("thread");
        if (thread == null) {
          continue;
        }
        long id = thread.getJavaThreadId();
        threadNames.put(id, thread.getJavaName());
        long allocated = event.getLong("allocated");
        long[] span = perThread.computeIfAbsent(id, k -> new long[] {allocated, allocated});
        span[0] = Math.min(span[0], allocated);
        span[1] = Math.max(span[1], allocated);
        Instant at = event.getStartTime();
        first = first == null || at.isBefore(first) ? at : first;
        last = last == null || at.isAfter(last) ? at : last;
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        RecordedThread thread = event.getThread("eventThread");
        if (thread == null || sampledThreads.add(thread.getJavaThreadId())) {
          continue;
        }
        long weight = event.getLong("weight");
        sampledWeight += weight;
        String objectClass = event.getClass("objectClass").getName();
        RecordedStackTrace stack = event.getStackTrace();
        List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
        bySite.merge(objectClass + " <- " + site(frames), weight, Long::sum);
        byOwnFrame.merge(ownFrame(frames), weight, Long::sum);
        byThread.merge(group(thread.getJavaName()), weight, Long::sum);
      }
    }
    long total = 0;
    Map<String, Long> threadTotals = new HashMap<>();
    for (Map.Entry<Long, long[]> entry : perThread.entrySet()) {
      long bytes = entry.getValue()[1] - entry.getValue()[0];
      total += bytes;
      threadTotals.merge(group(threadNames.get(entry.getKey())), bytes, Long::sum);
    }
    double seconds = first == null ? 0 : Duration.between(first, last).toNanos() / 1e9;
    StringBuilder out = new StringBuilder("{");
    out.append("\"seconds\":").append(round(seconds));
    out.append(",\"bytes\":").append(total);
    out.append(",\"bytesPerSecond\":").append(seconds > 0 ? Math.round(total / seconds) : 0);
    out.append(",\"byThread\":").append(json(top(threadTotals, TOP), total));
    out.append(",\"sampledBytes\":").append(sampledWeight);
    out.append(",\"sampledByThread\":").append(json(top(byThread, TOP), sampledWeight));
    out.append(",\"bySite\":").append(json(top(bySite, TOP), sampledWeight));
    out.append(",\"byOwnFrame\":").append(json(top(byOwnFrame, TOP), sampledWeight));
    System.out.println(out.append('}'));
  }

  /** The allocating frame and the two that called it: JDK, Netty and Vert.x frames alike. */
  private static String site(List<RecordedFrame> frames) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < frames.size() && names.size() < 3; i++) {
      names.add(name(frames.get(i)));
    }
    return String.join(" <- ", names);
  }

  /** The first frame of streamedge's own code, which says what the allocation was for. */
  private static String ownFrame(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      if (frame.getMethod().getType().getName().startsWith("dev.streamedge.")) {
        return name(frame);
      }
    }
    return frames.isEmpty() ? "(no stack)" : "(none of ours) " + name(frames.get(frames.size() - 1));
  }

  private static String name(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName() + ":" + frame.getLineNumber();
  }

  /** Threads by pool: "vert.x-eventloop-thread-3" and "-1" are one group. */
  private static String group(String name) {
    return name == null ? "?" : name.replaceAll("-?\\d+$", "");
  }

  private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    return entries.subList(0, Math.min(n, entries.size()));
  }

  private static String json(List<Map.Entry<String, Long>> entries, long total) {
    StringBuilder out = new StringBuilder("[");
    for (Map.Entry<String, Long> entry : entries) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append("{\"what\":\"").append(entry.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\",\"bytes\":").append(entry.getValue())
          .append(",\"share\":").append(total > 0 ? round(100.0 * entry.getValue() / total) : 0).append('}');
    }
    return out.append(']').toString();
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
