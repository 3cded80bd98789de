package dev.rnnx.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * CPU accounting of a benchmark whose callers share the process (and the cores) with what they
 * measure, such as loopback clients of a server: between two {@link #mark}s it prints the requests
 * per second of wall time, this process's CPU time per request (every thread), the registered
 * caller threads' CPU time per request, the JIT compiler threads' CPU time per request (from
 * {@code /proc/self/task} on Linux: a server path runs far more code than a method call, and on a
 * loaded machine C2 is still compiling it long after JMH's warm-up), and the requests per CPU
 * second of the process less its callers and less the JIT: what the served side could answer, in
 * steady state, with the machine to itself.
 */
final class CpuShares {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Set<Long> callers = ConcurrentHashMap.newKeySet();
  private final LongAdder requests = new LongAdder();
  private long wall0;
  private long cpu0;
  private long callers0;
  private long requests0;
  private long jit0;
  private int interval;

  /** Registers the calling thread as a caller. */
  void caller() {
    callers.add(Thread.currentThread().getId());
  }

  /** Counts one request. */
  void request() {
    requests.increment();
  }

  /** Ends the current interval (printing it) and starts the next. */
  synchronized void mark(String label) {
    long wall = System.nanoTime();
    long cpu = os.getProcessCpuTime();
    long mine = callersCpu();
    long n = requests.sum();
    long jit = jitCpu();
    if (wall0 != 0 && n > requests0) {
      double count = n - requests0;
      double processPer = (cpu - cpu0) / count;
      double callersPer = (mine - callers0) / count;
      double jitPer = (jit - jit0) / count;
      System.out.printf(Locale.ROOT, "%n[cpu] %s, interval %d: %.0f requests/s wall; CPU per request %.1f us (callers %.1f us,"
          + " JIT %.1f us); requests per CPU second: %.0f all, %.0f less the callers, %.0f less the callers and the JIT;"
          + " load average %.2f%n",
          label, interval, count / ((wall - wall0) / 1e9), processPer / 1e3, callersPer / 1e3, jitPer / 1e3,
          1e9 / processPer, 1e9 / (processPer - callersPer), 1e9 / (processPer - callersPer - jitPer), os.getSystemLoadAverage());
    }
    jit0 = jit;
    interval++;
    wall0 = wall;
    cpu0 = cpu;
    callers0 = mine;
    requests0 = n;
  }

  /** CPU time of the JIT compiler threads, in nanoseconds (0 where /proc is absent). */
  private static long jitCpu() {
    long ticks = 0;
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return 0;
    }
    for (java.io.File t : tasks) {
      try {
        String comm = java.nio.file.Files.readString(t.toPath().resolve("comm")).strip();
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
          String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        }
      } catch (java.io.IOException | RuntimeException e) {
        // a thread that ended meanwhile
      }
    }
    return ticks * 10_000_000L; // USER_HZ = 100 on Linux
  }

  private long callersCpu() {
    long sum = 0;
    for (long id : callers) {
      long t = threads.getThreadCpuTime(id);
      if (t > 0) {
        sum += t;
      }
    }
    return sum;
  }
}
