package dev.rnnx.pipeline;

import dev.rnnx.data.Bleu;
import dev.rnnx.data.TranslationExamples;
import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.FormDecoder;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.Seq2SeqGenerator;
import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.RefSeq2Seq;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.TfForm;
import dev.rnnx.tf.TfForms;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Greedy generation on held-out examples through every backend, token for token: {@code ref}
 * (Java), the ONNX {@code greedy_decoder} (one {@code Loop} graph) on {@code djl-ort}, the TF
 * greedy decoder live ({@code tf-java}) and as a SavedModel ({@code djl-tf}), and the production
 * path — {@link RnnxModel#generator()}: the {@code encoder} form once per batch of sources, then
 * {@code decoder_step} (or a Transformer's {@code decoder_step_cached}, its key-value cache) driven
 * by {@link BeamSearch#searchAll} at width 1, one call per step for the whole batch — on both DJL
 * engines, loaded as they are served. A sequence that differs from {@code ref}'s is classed as a
 * near tie when, at the first differing step, {@code ref}'s two best log-probabilities are within
 * {@link #TIE_MARGIN} (float32 noise can flip such a choice), and as a mismatch otherwise. Also
 * scores {@code ref}'s output against the targets: corpus BLEU-4 and exact match, overall and by
 * source length.
 */
public final class GenerationCheck {

  /** Log-probability margin below which a differing token counts as a near tie. */
  public static final double TIE_MARGIN = 1e-4;

  private GenerationCheck() {}

  /**
   * The check's findings.
   *
   * @param examples held-out examples decoded
   * @param backends per backend: sequences identical to ref's, near ties, mismatches
   * @param nearTies a description of every near tie
   * @param mismatches a description of every mismatch (first few)
   * @param bleu corpus BLEU-4 of ref's greedy output
   * @param exactMatch the fraction of outputs equal to the target
   * @param byLength per source-length bucket: examples, BLEU-4, exact match
   */
  public record Report(int examples, Map<String, int[]> backends, List<String> nearTies, List<String> mismatches, double bleu,
      double exactMatch, Map<String, double[]> byLength) {

    /** Whether every backend agreed with ref on every sequence, or differed only at near ties. */
    public boolean agreed() {
      return backends.values().stream().allMatch(c -> c[2] == 0);
    }
  }

  /** Decodes up to {@code limit} held-out examples with every backend of the run in {@code dir}. */
  public static Report check(Seq2Seq spec, Weights weights, TranslationExamples heldOut, Path dir, int limit) {
    int n = Math.min(limit, heldOut.size());
    int s = (int) heldOut.source().dim(1);
    LongTensor source = LongTensor.of(Arrays.copyOf(heldOut.source().data(), n * s), n, s);
    LongTensor lengths = LongTensor.of(Arrays.copyOf(heldOut.sourceLengths().data(), n), n);
    Map<String, Tensor> in = Map.of("source", source, "source_lengths", lengths);
    RefSeq2Seq ref = new RefSeq2Seq(spec, weights);
    long[][] expected = rows(ref.greedy(source, lengths).data(), n, spec.maxTargetLength());

    Map<String, long[][]> produced = new LinkedHashMap<>();
    try (RnnxModel onnxGreedy = ServedForms.load(dir.resolve(ModelForm.GREEDY_DECODER + ".onnx"), RnnxModel.ONNX_RUNTIME);
        RnnxModel tfGreedy = ServedForms.load(dir.resolve("saved_model").resolve(ModelForm.GREEDY_DECODER), RnnxModel.TENSORFLOW);
        TfForms live = TfForms.build(spec, weights)) {
      produced.put("djl-ort greedy_decoder", rows(onnxGreedy.tensors().predict(in).get("tokens").data(), n, spec.maxTargetLength()));
      produced.put("djl-tf greedy_decoder", rows(tfGreedy.tensors().predict(in).get("tokens").data(), n, spec.maxTargetLength()));
      TfForm greedy = live.form(ModelForm.GREEDY_DECODER);
      produced.put("tf-java greedy_decoder", rows(greedy.run(in).get("tokens").data(), n, spec.maxTargetLength()));
    }
    for (String engine : List.of(RnnxModel.ONNX_RUNTIME, RnnxModel.TENSORFLOW)) {
      try (RnnxModel served = ServedForms.load(dir, engine)) {
        Seq2SeqGenerator generator = served.generator();
        String name = (engine.equals(RnnxModel.ONNX_RUNTIME) ? "djl-ort" : "djl-tf") + " encoder+"
            + (generator.cached() ? ModelForm.DECODER_STEP_CACHED : ModelForm.DECODER_STEP) + " batched";
        produced.put(name, stepped(spec, generator, source, lengths, n, s));
      }
    }

    ReferenceForm refStep = ReferenceForms.form(spec, weights, ModelForm.DECODER_STEP);
    Map<String, FloatTensor> refEncoded = ReferenceForms.form(spec, weights, ModelForm.ENCODER).run(in);
    Map<String, int[]> counts = new LinkedHashMap<>();
    List<String> ties = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (var e : produced.entrySet()) {
      int[] c = new int[3];
      for (int b = 0; b < n; b++) {
        int t = firstDifference(expected[b], e.getValue()[b]);
        if (t < 0) {
          c[0]++;
          continue;
        }
        double margin = margin(spec, refStep, refEncoded, b, lengths.data()[b], expected[b], t);
        String what = String.format(java.util.Locale.ROOT, "%s, example %d, step %d: ref %d vs %d (ref's top-2 margin %.2e)",
            e.getKey(), b, t, expected[b][t], e.getValue()[b][t], margin);
        if (margin < TIE_MARGIN) {
          c[1]++;
          ties.add(what);
        } else {
          c[2]++;
          if (mismatches.size() < 20) {
            mismatches.add(what);
          }
        }
      }
      counts.put(e.getKey(), c);
    }

    List<List<Long>> refs = new ArrayList<>();
    List<List<Long>> hyps = new ArrayList<>();
    Map<String, List<Integer>> buckets = new LinkedHashMap<>();
    int t = (int) heldOut.target().dim(1);
    for (int b = 0; b < n; b++) {
      refs.add(Bleu.tokens(heldOut.target().data(), b * t, (b + 1) * t));
      hyps.add(Bleu.tokens(expected[b], 0, expected[b].length));
      buckets.computeIfAbsent(LengthBuckets.of((int) lengths.data()[b]), k -> new ArrayList<>()).add(b);
    }
    Map<String, double[]> byLength = new LinkedHashMap<>();
    for (int i = 0; i < LengthBuckets.count(); i++) {
      String key = LengthBuckets.name(i);
      List<Integer> members = buckets.getOrDefault(key, List.of());
      if (members.isEmpty()) {
        continue;
      }
      List<List<Long>> r = members.stream().map(refs::get).toList();
      List<List<Long>> h = members.stream().map(hyps::get).toList();
      byLength.put(key, new double[] {members.size(), Bleu.corpusSingle(r, h), Bleu.exactMatch(r, h)});
    }
    return new Report(n, counts, ties, mismatches, Bleu.corpusSingle(refs, hyps), Bleu.exactMatch(refs, hyps), byLength);
  }

  /** Sources per batch of the production path. */
  static final int BATCH = 32;

  /**
   * The production path: the served generator (encoder once per batch, then greedy steps of the
   * decoder-step form, with the key-value cache when the run has it), {@link #BATCH} sequences per
   * batch (ordered by length), one decoder call per step for all of them.
   */
  static long[][] stepped(Seq2Seq spec, Seq2SeqGenerator generator, LongTensor source, LongTensor lengths, int n, int s) {
    List<long[]> rows = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      rows.add(Arrays.copyOfRange(source.data(), b * s, b * s + (int) lengths.data()[b]));
    }
    List<BeamSearch.Result> results = generator.searchAll(rows, SearchOptions.GREEDY, BATCH);
    long[][] out = new long[n][];
    for (int b = 0; b < n; b++) {
      out[b] = results.get(b).best().padded(spec.maxTargetLength());
    }
    return out;
  }

  private static double margin(Seq2Seq spec, ReferenceForm step, Map<String, FloatTensor> encoded, int b, long length,
      long[] tokens, int t) {
    int[] read = new int[t + 1];
    read[0] = SpecialTokens.BOS;
    for (int i = 0; i < t; i++) {
      read[i + 1] = (int) tokens[i];
    }
    double[] logProbs = new FormDecoder(spec, step::run, encoded, b, length).follow(read)[t];
    double first = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (double v : logProbs) {
      if (v > first) {
        second = first;
        first = v;
      } else if (v > second) {
        second = v;
      }
    }
    return first - second;
  }

  private static int firstDifference(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return i;
      }
      if (a[i] == SpecialTokens.EOS) {
        return -1;
      }
    }
    return -1;
  }

  private static long[][] rows(double[] flat, int n, int width) {
    long[][] out = new long[n][width];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < width; i++) {
        out[b][i] = Math.round(flat[b * width + i]);
      }
    }
    return out;
  }

  private static long[][] rows(float[] flat, int n, int width) {
    double[] d = new double[flat.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = flat[i];
    }
    return rows(d, n, width);
  }


}
