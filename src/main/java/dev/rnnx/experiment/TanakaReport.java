package dev.rnnx.experiment;

import dev.rnnx.pipeline.Charts;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;

/**
 * The Tanaka experiment's outputs: {@code results.json}, {@code comparison.md} (the table, seed
 * 001's figures beside, and where they agree and differ, each judged from the numbers) and
 * {@code curves.png} (dev BLEU-4 and validation loss per epoch).
 */
final class TanakaReport {

  /** Seed 001's validation BLEU per epoch, RNN (no attention). */
  static final double[] SEED_RNN_BLEU = {6.45, 9.90, 12.47, 12.77, 15.95, 15.75, 16.62, 14.45, 17.39, 16.62};
  /** Seed 001's validation BLEU per epoch, Transformer. */
  static final double[] SEED_TRANSFORMER_BLEU = {10.66, 17.45, 22.65, 25.13, 26.89, 28.73, 30.38, 31.10, 31.88, 33.23};
  /** Seed 001's validation loss per epoch, RNN (its own scale, a sum per sentence). */
  static final double[] SEED_RNN_LOSS = {44.93, 42.53, 41.15, 40.26, 40.37, 40.07, 40.20, 40.03, 40.96, 40.77};
  /** Seed 001's validation loss per epoch, Transformer. */
  static final double[] SEED_TRANSFORMER_LOSS = {41.28, 32.22, 28.00, 25.83, 24.36, 23.12, 22.16, 21.46, 20.95, 20.31};

  private TanakaReport() {}

  /** Writes {@code results.json}, {@code comparison.md} and {@code curves.png} into {@code dir}. */
  static void write(Path dir, TanakaExperiment.Outcome o, TanakaOptions options, double seconds) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TanakaExperiment.ModelResult r : o.models()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", r.name());
      m.put("recipe", r.recipe().name());
      m.put("parameters", r.parameters());
      m.put("epochs", r.epochs());
      m.put("test_bleu", Double.isNaN(r.testBleu()) ? null : r.testBleu());
      m.put("hypotheses", r.hypotheses() == null ? null : dir.relativize(r.hypotheses().toAbsolutePath()).toString());
      rows.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("complete", o.complete());
    root.put("epochs", options.epochs());
    root.put("limit_pairs", options.limitPairs());
    root.put("seconds_this_call", seconds);
    root.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    root.put("peak_heap_used_mib", peakHeapMib());
    root.put("data", o.statistics());
    root.put("models", rows);
    AtomicFiles.write(dir.resolve("results.json"), TanakaExperiment.JSON.writeValueAsBytes(root));
    AtomicFiles.writeString(dir.resolve("comparison.md"), markdown(o, options));
    Charts.savePng(List.of(chart(o, true), chart(o, false)), dir.resolve("curves.png"));
  }

  /** The most heap used at once so far, summed over the heap pools, in MiB. */
  static long peakHeapMib() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }

  private static XYChart chart(TanakaExperiment.Outcome o, boolean bleu) {
    XYChart chart = new XYChartBuilder().width(900).height(500)
        .title(bleu ? "Tanaka en→ja: dev BLEU-4 per epoch (dashed: seed 001)" : "Tanaka en→ja: validation loss per epoch")
        .xAxisTitle("epoch").yAxisTitle(bleu ? "corpus BLEU-4 (%)" : "cross-entropy per target token").build();
    chart.getStyler().setLegendPosition(bleu ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
    for (TanakaExperiment.ModelResult r : o.models()) {
      if (r.epochs().isEmpty()) {
        continue;
      }
      double[] x = r.epochs().stream().mapToDouble(TanakaEpoch::epoch).toArray();
      double[] y = r.epochs().stream().mapToDouble(bleu ? TanakaEpoch::devBleu : TanakaEpoch::validationLoss).toArray();
      chart.addSeries(r.name(), x, y);
    }
    if (bleu) {
      double[] x = IntStream.rangeClosed(1, SEED_RNN_BLEU.length).asDoubleStream().toArray();
      XYSeries a = chart.addSeries("seed 001 RNN", x, SEED_RNN_BLEU);
      a.setLineStyle(SeriesLines.DASH_DASH);
      XYSeries b = chart.addSeries("seed 001 Transformer", x, SEED_TRANSFORMER_BLEU);
      b.setLineStyle(SeriesLines.DASH_DASH);
    }
    return chart;
  }

  /** The comparison in Markdown. */
  static String markdown(TanakaExperiment.Outcome o, TanakaOptions options) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Tanaka corpus English → Japanese: seed 001's comparison, measured\n\n");
    List<String> names = o.models().stream().map(TanakaExperiment.ModelResult::name).toList();
    sb.append(String.format(Locale.ROOT, "`./rnnx experiment tanaka --epochs %d%s%s`: %s. Greedy decoding; corpus BLEU-4 at the word"
        + " level on the corpus's own tokens (unknown words stay in the references), in percent. Validation loss: teacher-forced"
        + " cross-entropy per target token. Time per epoch: the training steps and the validation loss (wall time on this"
        + " machine); the dev BLEU pass is timed apart.%n%n", options.epochs(),
        options.limitPairs() > 0 ? " --limit-pairs " + options.limitPairs() : "",
        (names.equals(TanakaExperiment.MODELS) ? "" : " --models " + String.join(",", names))
            + (options.devSentences() > 0 ? " --dev-sentences " + options.devSentences() : ""),
        o.complete() ? "every model finished" : "NOT FINISHED (re-run the same command to continue)"));
    int n = o.models().stream().mapToInt(r -> r.epochs().size()).max().orElse(0);
    sb.append("| model | parameters | s / epoch | s / dev BLEU |");
    for (int e = 1; e <= n; e++) {
      sb.append(" dev ").append(e).append(" |");
    }
    sb.append(" test BLEU-4 |\n|---|---:|---:|---:|").append("---:|".repeat(n)).append("---:|\n");
    for (TanakaExperiment.ModelResult r : o.models()) {
      sb.append(String.format(Locale.ROOT, "| %s | %,d | %.0f | %.1f |", r.name(), r.parameters(), r.meanEpochSeconds(),
          r.meanBleuSeconds()));
      for (int e = 0; e < n; e++) {
        sb.append(e < r.epochs().size() ? String.format(Locale.ROOT, " %.2f |", r.epochs().get(e).devBleu()) : " — |");
      }
      sb.append(Double.isNaN(r.testBleu()) ? " — |" : String.format(Locale.ROOT, " %.2f |", r.testBleu())).append('\n');
    }
    sb.append("\nValidation loss per epoch:\n\n| model |");
    for (int e = 1; e <= n; e++) {
      sb.append(' ').append(e).append(" |");
    }
    sb.append("\n|---|").append("---:|".repeat(n)).append('\n');
    for (TanakaExperiment.ModelResult r : o.models()) {
      sb.append("| ").append(r.name()).append(" |");
      for (int e = 0; e < n; e++) {
        sb.append(e < r.epochs().size() ? String.format(Locale.ROOT, " %.3f |", r.epochs().get(e).validationLoss()) : " — |");
      }
      sb.append('\n');
    }
    sb.append("\n## Seed 001's figures (its notes, 10 epochs, 0.3 min per epoch each)\n\n| model | dev 1 | dev 5 | dev 10 | best |"
        + " validation loss 1 → 10 (its scale) |\n|---|---:|---:|---:|---:|---|\n");
    sb.append(String.format(Locale.ROOT, "| RNN (no attention) | %.2f | %.2f | %.2f | %.2f | %.2f → %.2f |%n", SEED_RNN_BLEU[0],
        SEED_RNN_BLEU[4], SEED_RNN_BLEU[9], max(SEED_RNN_BLEU), SEED_RNN_LOSS[0], SEED_RNN_LOSS[9]));
    sb.append(String.format(Locale.ROOT, "| Transformer | %.2f | %.2f | %.2f | %.2f | %.2f → %.2f |%n%n", SEED_TRANSFORMER_BLEU[0],
        SEED_TRANSFORMER_BLEU[4], SEED_TRANSFORMER_BLEU[9], max(SEED_TRANSFORMER_BLEU), SEED_TRANSFORMER_LOSS[0],
        SEED_TRANSFORMER_LOSS[9]));
    sb.append(TanakaVerdicts.of(o, options.epochs()));
    sb.append("\n![dev BLEU-4 and validation loss per epoch](curves.png)\n");
    return sb.toString();
  }

  static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
