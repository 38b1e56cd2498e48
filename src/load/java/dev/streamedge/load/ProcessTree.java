package dev.streamedge.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of a server process and all its descendants, read from Linux's /proc,
 * as the benchmark compares servers: nginx's master and worker, or the one JVM with all its threads.
 */
final class ProcessTree {

  /**
   * @param cpuNanos user plus system time of the processes alive now (utime + stime of /proc/PID/stat)
   * @param systemNanos the system part of it (stime): the kernel's work on the processes' behalf, which
   *     for a streaming server is mostly its socket writes
   * @param rssBytes the sum of their VmRSS
   * @param waitNanos time their threads were ready to run but waited for a core (schedstat's second
   *     field): high when other work on the machine takes the cores
   * @param compilerNanos user plus system time of threads named as HotSpot names its JIT compiler
   *     threads ({@link #isCompilerThread}): part of cpuNanos, and 0 for a server that is no JVM
   */
  record Sample(long cpuNanos, long systemNanos, long rssBytes, long waitNanos, long compilerNanos) {
  }

  /** USER_HZ, the unit of utime and stime: 100 on every Linux the JDK runs on (sysconf(_SC_CLK_TCK)). */
  private static final long TICK_NANOS = 10_000_000L;

  private final long pid;

  ProcessTree(long pid) {
    this.pid = pid;
  }

  long pid() {
    return pid;
  }

  /** @throws IOException when the process is gone or /proc cannot be read */
  Sample sample() throws IOException {
    ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() -> new IOException("no process " + pid));
    List<Long> pids = Stream.concat(Stream.of(root), root.descendants()).map(ProcessHandle::pid).toList();
    long cpu = 0;
    long system = 0;
    long rss = 0;
    long wait = 0;
    long compiler = 0;
    for (long each : pids) {
      try {
        Path proc = Path.of("/proc", String.valueOf(each));
        String stat = Files.readString(proc.resolve("stat"));
        cpu += cpuNanos(stat);
        system += systemNanos(stat);
        rss += rssBytes(Files.readAllLines(proc.resolve("status")));
        Threads threads = threads(proc.resolve("task"));
        wait += threads.waitNanos();
        compiler += threads.compilerNanos();
      } catch (IOException e) {
        if (each == pid) {
          throw e;
        }
        // A child that ended between listing and reading: its time is gone from the tree either way.
      }
    }
    return new Sample(cpu, system, rss, wait, compiler);
  }

  /** The run-queue wait of this process's own threads. */
  static long ownWaitNanos() {
    try {
      return threads(Path.of("/proc/self/task")).waitNanos();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The cores busy on the whole machine, as jiffies of /proc/stat's first line that are neither idle
   * nor iowait; with the time between two readings, how much the machine was used by everyone.
   */
  static long machineBusyNanos() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < fields.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(fields[i]);
        }
      }
      return busy * TICK_NANOS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Run-queue wait of a process's threads, and the CPU time of those that are JIT compilers. */
  private record Threads(long waitNanos, long compilerNanos) {
  }

  private static Threads threads(Path tasks) throws IOException {
    long wait = 0;
    long compiler = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        try {
          String[] fields = Files.readString(thread.resolve("schedstat")).trim().split(" ");
          wait += Long.parseLong(fields[1]);
          String stat = Files.readString(thread.resolve("stat"));
          if (isCompilerThread(threadName(stat))) {
            compiler += cpuNanos(stat);
          }
        } catch (IOException | RuntimeException e) {
          // A thread that ended meanwhile.
        }
      }
    }
    return new Threads(wait, compiler);
  }

  /**
   * Whether a thread is one of HotSpot's JIT compilers, by its name as /proc shows it (cut to 15
   * characters): "C1 CompilerThread0", "C2 CompilerThread1". While they run, a JVM is still warming up.
   */
  static boolean isCompilerThread(String name) {
    return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
  }

  /** Field 2 of a stat line, the name between the first '(' and the last ')'. */
  static String threadName(String stat) {
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  /** utime and stime are fields 14 and 15 (proc(5)); the name in field 2 may hold spaces, so count from its ')'. */
  static long cpuNanos(String stat) {
    String[] fields = statFields(stat);
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
  }

  /** stime, field 15 (proc(5)). */
  static long systemNanos(String stat) {
    return Long.parseLong(statFields(stat)[12]) * TICK_NANOS;
  }

  /** The fields after the name, from field 3 on. */
  private static String[] statFields(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
  }

  static long rssBytes(List<String> status) {
    for (String line : status) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
      }
    }
    return 0;
  }
}
