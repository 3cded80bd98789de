package dev.rnnx.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * DJL-ORT's overhead over raw ONNX Runtime measured in one JVM, calls of the two paths alternated
 * in blocks, so that what varies from one JVM to the next (thread placement, memory layout: ±10–20%
 * between JMH forks of the same path on the 2-core machine) weighs on both alike: one call of
 * each in turn (blocks of calls drift apart by tens of microseconds at batch 1). DJL's engine
 * opens the process-wide ORT environment first; the raw API then shares it (docs/STACK-NOTES.md).
 * Spinning is off in both sessions, so that one session's idle threads do not spin against the
 * other's work.
 *
 * <pre>java -cp ... dev.rnnx.bench.PairedOverhead [calls] [model:batch ...]</pre>
 *
 * prints, per model and batch, both paths' p10 and p50 per-call latency, the p50 difference and
 * ratio (docs/PERFORMANCE.md quotes one run).
 */
public final class PairedOverhead {

  private PairedOverhead() {}

  /**
   * Runs the comparison; arguments: calls per path at batch 1 (default 4000; a tenth at batch 32),
   * then {@code model:batch} pairs (default every model at 1 and 32).
   */
  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    String[] cases = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
        : Arrays.stream(BenchModel.values()).flatMap(m -> java.util.stream.Stream.of(m.id() + ":1", m.id() + ":32"))
            .toArray(String[]::new);
    for (String c : cases) {
      String[] p = c.split(":");
      int batch = Integer.parseInt(p[1]);
      System.out.println(measure(BenchModel.of(p[0]), batch, batch == 1 ? calls : Math.max(10, calls / 10)));
    }
  }

  static String measure(BenchModel model, int batch, int calls) {
    long[] djlTimes = new long[calls];
    long[] ortTimes = new long[calls];
    try (BenchPath djl = BenchPath.open("djl-ort", model, batch, false);
        BenchPath ort = BenchPath.open("ort", model, batch, false)) {
      for (int i = 0; i < calls / 4; i++) {
        djl.run();
        ort.run();
      }
      for (int i = 0; i < calls; i++) {
        ortTimes[i] = time(ort);
        djlTimes[i] = time(djl);
      }
    }
    Arrays.sort(djlTimes);
    Arrays.sort(ortTimes);
    double o10 = ortTimes[ortTimes.length / 10] / 1e3;
    double o50 = ortTimes[ortTimes.length / 2] / 1e3;
    double d10 = djlTimes[djlTimes.length / 10] / 1e3;
    double d50 = djlTimes[djlTimes.length / 2] / 1e3;
    return String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f | %+.0f | %.3f |", model.id(), batch, o10, o50, d10, d50,
        d50 - o50, d50 / o50);
  }

  private static long time(BenchPath path) {
    long t = System.nanoTime();
    path.run();
    return System.nanoTime() - t;
  }
}
