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
 * caller threads' CPU time per request, and the requests per CPU second of the process less its
 * callers: what the served side could answer with the machine to itself.
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
    if (wall0 != 0 && n > requests0) {
      double count = n - requests0;
      double processPer = (cpu - cpu0) / count;
      double callersPer = (mine - callers0) / count;
      System.out.printf(Locale.ROOT, "%n[cpu] %s, interval %d: %.0f requests/s wall; CPU per request %.1f us (callers %.1f us,"
          + " %.0f%%); %.0f requests per CPU second less the callers' (%.0f with them); load average %.2f%n",
          label, interval, count / ((wall - wall0) / 1e9), processPer / 1e3, callersPer / 1e3, 100 * callersPer / processPer,
          1e9 / (processPer - callersPer), 1e9 / processPer, os.getSystemLoadAverage());
    }
    interval++;
    wall0 = wall;
    cpu0 = cpu;
    callers0 = mine;
    requests0 = n;
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
