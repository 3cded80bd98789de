package dev.rnnx.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.data.Bleu;
import dev.rnnx.data.TaskData;
import dev.rnnx.data.TranslationExamples;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.pipeline.Charts;
import dev.rnnx.pipeline.LengthBuckets;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.TfForms;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Seed 001's comparison of an RNN seq2seq and a Transformer, on rnnx's dates task: RNN without
 * attention, RNN with attention and Transformer, at equal epochs and similar parameter counts,
 * each trained on the same examples. Every model is then judged by greedy decoding on one test
 * set drawn with half of its inputs in the long formats (rare in training), so that the scores by
 * source length show what attention buys on long inputs: corpus BLEU-4 and exact match, overall
 * and per length bucket, with validation loss and time per epoch.
 */
public final class Seq2SeqExperiment {

  private Seq2SeqExperiment() {}

  /**
   * One model's results.
   *
   * @param recipe its recipe
   * @param parameters trainable scalars
   * @param training the training run (loss, validation loss and time per epoch)
   * @param bleu corpus BLEU-4 on the test set
   * @param exactMatch exact match on the test set
   * @param byLength per bucket: examples, BLEU-4, exact match
   */
  public record Result(Recipe recipe, long parameters, TrainingResult training, double bleu, double exactMatch,
      Map<String, double[]> byLength) {}

  /**
   * Trains each recipe (with {@code epochs} epochs, 0 keeping the recipe's) and scores it on a test
   * set of {@code testSamples} dates, half in long formats.
   *
   * @throws IllegalArgumentException unless every recipe is a seq2seq recipe on the dates task
   */
  public static List<Result> run(List<Recipe> recipes, int epochs, int testSamples, long testSeed, PrintStream log) {
    List<Result> results = new ArrayList<>();
    for (Recipe r : recipes) {
      if (!(r.model() instanceof Seq2Seq) || !(r.data() instanceof DatesTask)) {
        throw new IllegalArgumentException("recipe '" + r.name() + "' is not a seq2seq recipe on the dates task");
      }
    }
    DatesTask testTask = new DatesTask(testSamples + 1, 0.5, testSamples / (double) (testSamples + 1));
    TranslationExamples test = TaskData.translation(testTask, testSeed).validation();
    for (Recipe base : recipes) {
      Recipe r = epochs > 0 ? withEpochs(base, epochs) : base;
      TranslationSplit data = TaskData.translation((DatesTask) r.data(), r.seed());
      TrainingResult trained = Trainer.train(r, data, TrainingOptions.defaults());
      double[][] scores;
      Map<String, double[]> byLength;
      try (TfForms forms = TfForms.build(r.model(), trained.weights())) {
        Map<String, Tensor> in = Map.of("source", test.source(), "source_lengths", test.sourceLengths());
        float[] tokens = forms.form(ModelForm.GREEDY_DECODER).run(in).get("tokens").data();
        int max = ((Seq2Seq) r.model()).maxTargetLength();
        int t = (int) test.target().dim(1);
        List<List<Long>> refs = new ArrayList<>();
        List<List<Long>> hyps = Bleu.decodedRows(tokens, test.size(), max);
        Map<String, List<Integer>> buckets = new LinkedHashMap<>();
        for (int b = 0; b < test.size(); b++) {
          refs.add(Bleu.tokens(test.target().data(), b * t, (b + 1) * t));
          buckets.computeIfAbsent(LengthBuckets.of((int) test.sourceLengths().data()[b]), k -> new ArrayList<>()).add(b);
        }
        byLength = new LinkedHashMap<>();
        for (int i = 0; i < LengthBuckets.count(); i++) {
          List<Integer> members = buckets.getOrDefault(LengthBuckets.name(i), List.of());
          if (!members.isEmpty()) {
            List<List<Long>> rr = members.stream().map(refs::get).toList();
            List<List<Long>> hh = members.stream().map(hyps::get).toList();
            byLength.put(LengthBuckets.name(i), new double[] {members.size(), Bleu.corpusSingle(rr, hh), Bleu.exactMatch(rr, hh)});
          }
        }
        scores = new double[][] {{Bleu.corpusSingle(refs, hyps), Bleu.exactMatch(refs, hyps)}};
      }
      Result result = new Result(r, r.model().parameterCount(), trained, scores[0][0], scores[0][1], byLength);
      log.printf(Locale.ROOT, "%-20s %,9d params, %2d epochs, %.2f s/epoch, val loss %.4f: BLEU-4 %.4f, exact %.4f%n",
          r.name(), result.parameters(), trained.trainLoss().size(), trained.meanEpochSeconds(), trained.finalValidationLoss(),
          result.bleu(), result.exactMatch());
      results.add(result);
    }
    return results;
  }

  /** The recipe with another epoch count. */
  static Recipe withEpochs(Recipe r, int epochs) {
    var t = r.training();
    return new Recipe(r.name(), r.description(), r.seed(), r.model(), r.data(),
        new dev.rnnx.spec.TrainingSpec(t.loss(), t.optimizer(), t.learningRate(), epochs, t.batchSize(), t.clipping(), t.accuracy()),
        r.export(), r.tolerances());
  }

  /** A Markdown table of the results. */
  public static String table(List<Result> results, int testSamples) {
    StringBuilder sb = new StringBuilder();
    sb.append("| model | parameters | epochs | s / epoch | final val loss | BLEU-4 | exact match |");
    for (int i = 0; i < LengthBuckets.count(); i++) {
      sb.append(" exact, length ").append(LengthBuckets.name(i)).append(" |");
    }
    sb.append("\n|---|---|---|---|---|---|---|").append("---|".repeat(LengthBuckets.count())).append('\n');
    for (Result r : results) {
      sb.append(String.format(Locale.ROOT, "| %s | %,d | %d | %.2f | %.4f | %.4f | %.4f |", r.recipe().name(), r.parameters(),
          r.training().trainLoss().size(), r.training().meanEpochSeconds(), r.training().finalValidationLoss(), r.bleu(),
          r.exactMatch()));
      for (int i = 0; i < LengthBuckets.count(); i++) {
        double[] v = r.byLength().get(LengthBuckets.name(i));
        sb.append(v == null ? " — |" : String.format(Locale.ROOT, " %.3f (n=%.0f) |", v[2], v[0]));
      }
      sb.append('\n');
    }
    sb.append(String.format(Locale.ROOT, "%nTest set: %,d dates, half of them in the long formats (rare in training), decoded"
        + " greedily; BLEU-4 over characters. Validation loss: teacher-forced cross-entropy per target token.%n", testSamples));
    return sb.toString();
  }

  /** Writes {@code results.json}, {@code results.md} and {@code curves.png} into {@code dir}. */
  public static void write(Path dir, List<Result> results, int testSamples) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("recipe", r.recipe().name());
      m.put("parameters", r.parameters());
      m.put("epochs", r.training().trainLoss().size());
      m.put("epoch_seconds", r.training().epochSeconds());
      m.put("loss", r.training().trainLoss());
      m.put("validation_loss", r.training().validationLoss());
      m.put("bleu4", r.bleu());
      m.put("exact_match", r.exactMatch());
      m.put("by_source_length", LengthBuckets.toJson(r.byLength()));
      rows.add(m);
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("test_samples", testSamples);
    root.put("models", rows);
    AtomicFiles.write(dir.resolve("results.json"), json.writeValueAsBytes(root));
    AtomicFiles.writeString(dir.resolve("results.md"), table(results, testSamples));
    XYChart chart = new XYChartBuilder().width(900).height(550).title("seq2seq on dates: validation loss per epoch")
        .xAxisTitle("epoch").yAxisTitle("validation loss (cross-entropy per token)").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    for (Result r : results) {
      List<Double> v = r.training().validationLoss();
      double[] x = IntStream.rangeClosed(1, v.size()).asDoubleStream().toArray();
      chart.addSeries(r.recipe().name(), x, v.stream().mapToDouble(Double::doubleValue).toArray());
    }
    Charts.savePng(chart, dir.resolve("curves.png"));
  }
}
