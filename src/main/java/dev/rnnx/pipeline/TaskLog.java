package dev.rnnx.pipeline;

import java.io.PrintStream;
import java.util.Locale;

/** The console lines of the task checks that follow parity in a run: generation (seq2seq) and similarity (word2vec). */
final class TaskLog {

  private TaskLog() {}

  static void generation(GenerationCheck.Report g, PrintStream log) {
    log.printf(Locale.ROOT, "greedy generation on %d held-out examples: BLEU-4 %.4f, exact match %.4f%n", g.examples(),
        g.bleu(), g.exactMatch());
    g.byLength().forEach((k, v) -> log.printf(Locale.ROOT, "  source length %-6s %4.0f examples: BLEU-4 %.4f, exact %.4f%n",
        k, v[0], v[1], v[2]));
    g.backends().forEach((k, c) -> log.printf(Locale.ROOT, "  %-32s identical %d, near ties %d, mismatches %d%n",
        k, c[0], c[1], c[2]));
    g.mismatches().forEach(m -> log.println("  MISMATCH " + m));
  }

  static void similarity(SimilarityCheck.Report s, PrintStream log) {
    if (!s.precisionAt5().isEmpty()) {
      log.printf(Locale.ROOT, "most_similar precision@5: %.3f overall; %s%n", s.meanPrecisionAt5(), s.precisionAt5());
    } else {
      log.println("most_similar (cosine):");
    }
    s.neighbours().forEach((w, n) -> {
      StringBuilder line = new StringBuilder("  " + w + " ->");
      n.forEach((word, score) -> line.append(String.format(Locale.ROOT, " %s %.2f", word, score)));
      log.println(line);
    });
    s.backends().forEach((k, c) -> log.printf(Locale.ROOT, "  %-8s identical %d, near-tie swaps %d, mismatches %d%n",
        k, c[0], c[1], c[2]));
  }
}
