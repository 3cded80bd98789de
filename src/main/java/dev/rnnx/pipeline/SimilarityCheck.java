package dev.rnnx.pipeline;

import dev.rnnx.data.Vocabulary;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.tf.TfForms;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How well a word2vec run's {@code most_similar} matches the corpus's known classes, its query
 * words' neighbours, and whether every backend returns the same neighbours: for every class word,
 * the top-{@value #K} words by {@code ref}; precision@5 is the fraction of them from the same class
 * (a corpus read from a file has no classes: only its queries are reported). Each backend's indices
 * ({@code djl-ort} and {@code djl-tf} loaded through {@link RnnxModel}, as they are served; {@code
 * tf-java} live) must equal {@code ref}'s, except where two candidates' reference scores lie within
 * {@link #TIE_MARGIN} (float32 noise can swap them).
 */
public final class SimilarityCheck {

  /** Neighbours judged per word. */
  public static final int K = 5;
  /** Cosine-score gap below which two neighbours may swap places across backends. */
  public static final double TIE_MARGIN = 1e-5;

  private SimilarityCheck() {}

  /**
   * The findings.
   *
   * @param precisionAt5 per class, the mean fraction of same-class words among a member's top 5; empty without classes
   * @param meanPrecisionAt5 the mean over every class word; NaN without classes
   * @param backends per backend: words with identical neighbours, near-tie swaps, mismatches
   * @param examples the task's query words with their neighbours, for the report
   * @param neighbours the same queries' neighbours with their cosine similarities (by {@code ref}), nearest first
   */
  public record Report(Map<String, Double> precisionAt5, double meanPrecisionAt5, Map<String, int[]> backends,
      Map<String, List<String>> examples, Map<String, Map<String, Double>> neighbours) {

    /** Whether every backend agreed with ref, up to near-tie swaps. */
    public boolean agreed() {
      return backends.values().stream().allMatch(c -> c[2] == 0);
    }
  }

  /**
   * Checks the run in {@code dir}: the class words of the task (precision@5), and its query words.
   *
   * @param vocabulary the corpus's words by id, the model's vocabulary
   */
  public static Report check(Word2Vec spec, Weights weights, CorpusTask task, Vocabulary vocabulary, Path dir) {
    List<String> words = vocabulary.tokens();
    List<Long> queries = new ArrayList<>();
    task.classes().values().forEach(ws -> ws.forEach(w -> queries.add((long) vocabulary.id(w))));
    int classWords = queries.size();
    task.queries().forEach(w -> queries.add((long) vocabulary.id(vocabulary.normalise(w))));
    Map<String, Tensor> in = Map.of("ids", LongTensor.of(queries.stream().mapToLong(Long::longValue).toArray(), queries.size()),
        "k", LongTensor.of(new long[] {K}, 1));
    Map<String, FloatTensor> expected = ReferenceForms.form(spec, weights, ModelForm.MOST_SIMILAR).run(in);

    Map<String, Double> precision = new LinkedHashMap<>();
    double total = 0;
    int q = 0;
    for (var cls : task.classes().entrySet()) {
      double sum = 0;
      for (String word : cls.getValue()) {
        int same = 0;
        for (int j = 0; j < K; j++) {
          String n = words.get((int) expected.get("indices").data()[q * K + j]);
          same += cls.getValue().contains(n) ? 1 : 0;
        }
        sum += same / (double) K;
        q++;
      }
      precision.put(cls.getKey(), sum / cls.getValue().size());
      total += sum;
    }
    Map<String, List<String>> examples = new LinkedHashMap<>();
    Map<String, Map<String, Double>> neighbours = new LinkedHashMap<>();
    for (String word : task.queries()) {
      Map<String, Double> scored = new LinkedHashMap<>();
      for (int j = 0; j < K; j++) {
        scored.put(words.get((int) expected.get("indices").data()[q * K + j]), (double) expected.get("scores").data()[q * K + j]);
      }
      examples.put(word, List.copyOf(scored.keySet()));
      neighbours.put(word, scored);
      q++;
    }

    Map<String, int[]> backends = new LinkedHashMap<>();
    try (RnnxModel ort = ServedForms.load(dir, RnnxModel.ONNX_RUNTIME);
        RnnxModel saved = ServedForms.load(dir, RnnxModel.TENSORFLOW);
        TfForms live = TfForms.build(spec, weights)) {
      backends.put("djl-ort", compare(expected, ort.tensors(ModelForm.MOST_SIMILAR)::predict, in, queries.size()));
      backends.put("djl-tf", compare(expected, saved.tensors(ModelForm.MOST_SIMILAR)::predict, in, queries.size()));
      backends.put("tf-java", compare(expected, live.form(ModelForm.MOST_SIMILAR)::run, in, queries.size()));
    }
    return new Report(precision, classWords == 0 ? Double.NaN : total / classWords, backends, examples, neighbours);
  }

  private static int[] compare(Map<String, FloatTensor> expected, Function<Map<String, ? extends Tensor>, Map<String, FloatTensor>> run,
      Map<String, Tensor> in, int queries) {
    Map<String, FloatTensor> got = run.apply(in);
    int[] c = new int[3];
    for (int b = 0; b < queries; b++) {
      boolean same = true;
      boolean tie = true;
      for (int j = 0; j < K; j++) {
        int i = b * K + j;
        if (expected.get("indices").data()[i] != got.get("indices").data()[i]) {
          same = false;
          // a swap is benign when the reference scores at this rank and the next are within the margin
          double here = expected.get("scores").data()[i];
          double next = j + 1 < K ? expected.get("scores").data()[i + 1] : Double.NEGATIVE_INFINITY;
          double previous = j > 0 ? expected.get("scores").data()[i - 1] : Double.POSITIVE_INFINITY;
          tie &= Math.min(Math.abs(here - next), Math.abs(previous - here)) < TIE_MARGIN;
        }
      }
      c[same ? 0 : tie ? 1 : 2]++;
    }
    return c;
  }
}
