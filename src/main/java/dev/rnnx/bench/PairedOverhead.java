package dev.rnnx.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * DJL-ORT's overhead over raw ONNX Runtime measured in one JVM, calls of the two paths alternated
 * in blocks, so that what varies from one JVM to the next (thread placement, memory layout: ±10–20%
 * between JMH forks of the same path on the 2-core machine) weighs on both alike. DJL's engine
 * opens the process-wide ORT environment first; the raw API then shares it (docs/STACK-NOTES.md).
 * Spinning is off in both sessions, so that one session's idle threads do not spin against the
 * other's work.
 *
 * <pre>java -cp ... dev.rnnx.bench.PairedOverhead [rounds] [model:batch ...]</pre>
 *
 * prints, per model and batch, both paths' p10 and p50 per-call latency, the p50 difference and
 * ratio (docs/PERFORMANCE.md quotes one run).
 */
public final class PairedOverhead {

  private PairedOverhead() {}

  /** Runs the comparison; arguments: rounds (default 40), then {@code model:batch} pairs (default all at 1 and 32). */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    String[] cases = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
        : Arrays.stream(BenchModel.values()).flatMap(m -> java.util.stream.Stream.of(m.id() + ":1", m.id() + ":32"))
            .toArray(String[]::new);
    for (String c : cases) {
      String[] p = c.split(":");
      System.out.println(measure(BenchModel.of(p[0]), Integer.parseInt(p[1]), rounds));
    }
  }

  static String measure(BenchModel model, int batch, int rounds) {
    int block = batch == 1 ? 100 : 10;
    long[] djlTimes = new long[rounds * block];
    long[] ortTimes = new long[rounds * block];
    try (BenchPath djl = BenchPath.open("djl-ort", model, batch, false);
        BenchPath ort = BenchPath.open("ort", model, batch, false)) {
      for (int i = 0; i < 3 * block; i++) {
        djl.run();
        ort.run();
      }
      for (int r = 0, k = 0; r < rounds; r++, k += block) {
        time(ort, ortTimes, k, block);
        time(djl, djlTimes, k, block);
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

  private static void time(BenchPath path, long[] into, int from, int count) {
    for (int i = 0; i < count; i++) {
      long t = System.nanoTime();
      path.run();
      into[from + i] = System.nanoTime() - t;
    }
  }
}
