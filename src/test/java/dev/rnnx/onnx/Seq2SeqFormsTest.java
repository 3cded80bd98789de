package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every seq2seq form on ONNX Runtime and on the reference evaluator, at atol 1e-5:
 *
 * <ul>
 *   <li>against {@link Seq2SeqOracle}: encoder (memory and states), decoder step (log-probs,
 *       states, attention), training (teacher forcing), greedy decoding (tokens);
 *   <li>against the model's own decoder step on the same backend: the training form equals
 *       stepping the decoder with teacher forcing, and the greedy decoder equals stepping it with
 *       argmax, PAD after EOS.
 * </ul>
 *
 * LSTM and GRU, without attention and with each score function; a Transformer with standard-op
 * attention (opset 17) and with ONNX's Attention (opset 23). Batches of 5 sources hold every
 * length 1 … 5.
 */
class Seq2SeqFormsTest {

  static final double ATOL = 1e-5;
  static final int BATCH = 5;
  static final int SOURCE = 5;
  static final int TARGET = 4;

  static Seq2Seq rnn(Cell cell, AttentionScore score) {
    return new Seq2Seq("s2s", 9, 11, 6, new RnnEncoder(cell, 5), new RnnDecoder(cell, 5, score, 4), 7, 6);
  }

  static Seq2Seq transformer() {
    return new Seq2Seq("t2t", 9, 11, 8, new TransformerStack(2, 2, 12, 1e-3), new TransformerStack(2, 2, 10, 1e-5), 7, 6);
  }

  static Stream<Arguments> models() {
    List<Arguments> cases = new ArrayList<>();
    for (Cell cell : Cell.values()) {
      cases.add(Arguments.of(cell.recipeName() + " no attention", rnn(cell, null), 17));
      for (AttentionScore score : AttentionScore.values()) {
        cases.add(Arguments.of(cell.recipeName() + " " + score.recipeName() + " attention", rnn(cell, score), 17));
      }
    }
    cases.add(Arguments.of("lstm additive attention, opset 12", rnn(Cell.LSTM, AttentionScore.ADDITIVE), 12));
    cases.add(Arguments.of("gru general attention, opset 23", rnn(Cell.GRU, AttentionScore.GENERAL), 23));
    cases.add(Arguments.of("transformer, opset 17", transformer(), 17));
    cases.add(Arguments.of("transformer, opset 23 (ONNX Attention)", transformer(), 23));
    return cases.stream();
  }

  /**
   * Seeded weights; the EOS logit is raised so that greedy decoding ends early for some sources and
   * not for others.
   */
  static Weights weights(Seq2Seq model, long seed) {
    Weights w = TestModels.randomWeights(model.parameters(), seed, 2.0);
    Map<String, FloatTensor> t = new LinkedHashMap<>(w.tensors());
    float[] bias = t.get("output/bias").data().clone();
    bias[SpecialTokens.EOS] += model.recurrent() ? 0.5f : 1.5f;
    t.put("output/bias", FloatTensor.of(bias, bias.length));
    return new Weights(t);
  }

  record Batch(long[][] source, int[] lengths, long[][] target) {
    Value sourceValue() {
      return ids(source);
    }

    Value lengthsValue() {
      return Value.ofInt32(new long[] {lengths.length}, lengths);
    }

    Value targetValue() {
      return ids(target);
    }
  }

  static Value ids(long[][] rows) {
    return Value.ofInt64(new long[] {rows.length, rows[0].length}, Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray());
  }

  /** Sources of lengths 1 … 5 (PAD after), targets BOS then text tokens. */
  static Batch batch(Seq2Seq model, long seed) {
    Random r = new Random(seed);
    long[][] source = new long[BATCH][SOURCE];
    int[] lengths = new int[BATCH];
    long[][] target = new long[BATCH][TARGET];
    for (int b = 0; b < BATCH; b++) {
      lengths[b] = b + 1;
      for (int s = 0; s < lengths[b]; s++) {
        source[b][s] = SpecialTokens.FIRST_TEXT + r.nextInt(model.sourceVocabulary() - SpecialTokens.FIRST_TEXT);
      }
      target[b][0] = SpecialTokens.BOS;
      for (int t = 1; t < TARGET; t++) {
        target[b][t] = SpecialTokens.FIRST_TEXT + r.nextInt(model.targetVocabulary() - SpecialTokens.FIRST_TEXT);
      }
    }
    // shuffle the lengths' order so that padding is not sorted by batch index
    int[] order = {3, 0, 4, 2, 1};
    long[][] shuffled = new long[BATCH][];
    int[] shuffledLengths = new int[BATCH];
    for (int b = 0; b < BATCH; b++) {
      shuffled[b] = source[order[b]];
      shuffledLengths[b] = lengths[order[b]];
    }
    return new Batch(shuffled, shuffledLengths, target);
  }

  /** The largest error seen per backend in the current case ("ORT", "evaluator"), for the printed summary. */
  static final Map<String, Double> WORST = new LinkedHashMap<>();

  static void assertClose(String what, double[] want, Value got) {
    assertEquals(want.length, got.size(), what + ": size");
    String backend = what.contains(" on ORT: ") ? "ORT" : "evaluator";
    for (int i = 0; i < want.length; i++) {
      double err = Math.abs(want[i] - got.getDouble(i));
      WORST.merge(backend, err, Math::max);
      int index = i;
      assertTrue(err < ATOL, () -> what + " differs at flat index " + index + " by " + err + " (want " + want[index] + ", got "
          + got.getDouble(index) + ")");
    }
  }

  static void assertClose(String what, Value want, Value got) {
    assertArrayEquals(want.shape(), got.shape(), what + ": shape");
    assertClose(what, want.toDoubleArray(), got);
  }

  static double[] flat(double[][] a) {
    return Arrays.stream(a).flatMapToDouble(Arrays::stream).toArray();
  }

  static double[] flat(double[][][] a) {
    return Arrays.stream(a).flatMap(Arrays::stream).flatMapToDouble(Arrays::stream).toArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void formsMatchTheOracleAndEachOther(String label, Seq2Seq model, int opset) throws Exception {
    long seed = label.replaceAll(", opset.*", "").hashCode(); // the same weights and data at every opset
    Weights w = weights(model, seed);
    WORST.clear();
    Map<String, OnnxMl.ModelProto> forms = OnnxExporter.export(model, w, opset, TestModels.provenance());
    assertEquals(model.recurrent() ? List.of(ModelForm.TRAINING, ModelForm.ENCODER, ModelForm.DECODER_STEP, ModelForm.GREEDY_DECODER)
        : List.of(ModelForm.TRAINING, ModelForm.ENCODER, ModelForm.DECODER_STEP, ModelForm.DECODER_CROSS_CACHE,
            ModelForm.DECODER_STEP_CACHED, ModelForm.GREEDY_DECODER), List.copyOf(forms.keySet()));
    Seq2SeqOracle oracle = new Seq2SeqOracle(model, w);
    Batch batch = batch(model, seed + 1);
    Seq2SeqOracle.Encoded encoded = oracle.encode(batch.source, batch.lengths);
    double[][][] teacher = oracle.training(batch.source, batch.lengths, batch.target);
    long[][] greedy = oracle.greedy(batch.source, batch.lengths);
    int ended = (int) Arrays.stream(greedy).filter(row -> Arrays.stream(row).anyMatch(t -> t == SpecialTokens.EOS)).count();
    try (FormBackends backends = new FormBackends(forms)) {
      for (FormBackends.Backend backend : backends.both()) {
        String on = label + " on " + backend.name() + ": ";
        Map<String, Value> sources = Map.of("source", batch.sourceValue(), "source_lengths", batch.lengthsValue());
        // encoder
        Map<String, Value> enc = backend.run(ModelForm.ENCODER, sources);
        assertClose(on + "memory", encoded.memory().data(), enc.get("memory"));
        if (model.recurrent()) {
          assertClose(on + "state_h", flat(encoded.h()), enc.get("state_h"));
          if (encoded.c() != null) {
            assertClose(on + "state_c", flat(encoded.c()), enc.get("state_c"));
          }
        }
        // training against the oracle
        Map<String, Value> training = new LinkedHashMap<>(sources);
        training.put("target", batch.targetValue());
        Value logProbs = backend.run(ModelForm.TRAINING, training).get("log_probs");
        assertArrayEquals(new long[] {BATCH, TARGET, model.targetVocabulary()}, logProbs.shape(), on + "log_probs shape");
        assertClose(on + "training log_probs vs oracle", flat(teacher), logProbs);
        // training against stepping the exported decoder with teacher forcing, and the step against the oracle
        stepWithTeacherForcing(on, model, oracle, backend, batch, enc, logProbs);
        // greedy against the oracle and against stepping the exported decoder with argmax
        Value tokens = backend.run(ModelForm.GREEDY_DECODER, sources).get("tokens");
        assertEquals(DataType.INT64, tokens.type(), on + "tokens type");
        assertArrayEquals(new long[] {BATCH, model.maxTargetLength()}, tokens.shape(), on + "tokens shape");
        assertArrayEquals(Arrays.stream(greedy).flatMapToLong(Arrays::stream).toArray(), tokens.toLongArray(),
            on + "greedy tokens vs oracle");
        assertArrayEquals(stepGreedily(model, backend, batch, enc), tokens.toLongArray(), on + "greedy vs stepping decoder_step");
      }
    }
    System.out.printf("seq2seq %-42s worst |err| ORT %.1e, evaluator %.1e; greedy: %d of %d sources end with EOS %s%n", label,
        WORST.get("ORT"), WORST.get("evaluator"), ended, BATCH, Arrays.deepToString(greedy));
  }

  /** Runs decoder_step over the target with teacher forcing and compares with the training form. */
  static void stepWithTeacherForcing(String on, Seq2Seq model, Seq2SeqOracle oracle, FormBackends.Backend backend, Batch batch,
      Map<String, Value> enc, Value training) {
    int v = model.targetVocabulary();
    if (model.recurrent()) {
      boolean lstm = ((RnnEncoder) model.encoder()).cell() == Cell.LSTM;
      boolean attends = ((RnnDecoder) model.decoder()).attends();
      Value h = enc.get("state_h");
      Value c = enc.get("state_c");
      Seq2SeqOracle.Encoded encoded = oracle.encode(batch.source, batch.lengths);
      double[][] oh = encoded.h();
      double[][] oc = encoded.c();
      for (int t = 0; t < TARGET; t++) {
        long[] tokens = new long[BATCH];
        for (int b = 0; b < BATCH; b++) {
          tokens[b] = batch.target[b][t];
        }
        Map<String, Value> feeds = new LinkedHashMap<>();
        feeds.put("token", Value.ofInt64(new long[] {BATCH}, tokens));
        feeds.put("state_h", h);
        if (lstm) {
          feeds.put("state_c", c);
        }
        if (attends) {
          feeds.put("memory", enc.get("memory"));
          feeds.put("source_lengths", batch.lengthsValue());
        }
        Map<String, Value> out = backend.run(ModelForm.DECODER_STEP, feeds);
        double[] fromTraining = new double[BATCH * v];
        for (int b = 0; b < BATCH; b++) {
          for (int k = 0; k < v; k++) {
            fromTraining[b * v + k] = training.getDouble((b * TARGET + t) * v + k);
          }
        }
        assertClose(on + "decoder_step " + t + " vs training", fromTraining, out.get("log_probs"));
        Seq2SeqOracle.Step want = oracle.step(tokens, oh, oc, encoded.memory(), batch.lengths);
        assertClose(on + "decoder_step " + t + " vs oracle", flat(want.logProbs()), out.get("log_probs"));
        assertClose(on + "decoder_step " + t + " state_h vs oracle", flat(want.h()), out.get("new_state_h"));
        if (attends) {
          assertClose(on + "decoder_step " + t + " attention vs oracle", flat(want.attention()), out.get("attention"));
          for (int b = 0; b < BATCH; b++) {
            for (int s = batch.lengths[b]; s < SOURCE; s++) {
              assertEquals(0.0, out.get("attention").getDouble(b * SOURCE + s), 0.0, on + "padding gets exactly zero weight");
            }
          }
        }
        h = out.get("new_state_h");
        c = out.get("new_state_c");
        oh = want.h();
        oc = want.c();
      }
    } else {
      for (int t = 0; t < TARGET; t++) {
        long[][] prefix = new long[BATCH][t + 1];
        for (int b = 0; b < BATCH; b++) {
          prefix[b] = Arrays.copyOf(batch.target[b], t + 1);
        }
        Map<String, Value> out = backend.run(ModelForm.DECODER_STEP, Map.of("target", ids(prefix), "memory", enc.get("memory"),
            "source_lengths", batch.lengthsValue()));
        double[] fromTraining = new double[BATCH * v];
        for (int b = 0; b < BATCH; b++) {
          for (int k = 0; k < v; k++) {
            fromTraining[b * v + k] = training.getDouble((b * TARGET + t) * v + k);
          }
        }
        assertClose(on + "decoder_step on a prefix of " + (t + 1) + " vs training", fromTraining, out.get("log_probs"));
      }
      stepCachedWithTeacherForcing(on, model, backend, batch, enc, training);
    }
  }

  /** Runs decoder_cross_cache once and decoder_step_cached token by token; compares with the training form. */
  static void stepCachedWithTeacherForcing(String on, Seq2Seq model, FormBackends.Backend backend, Batch batch,
      Map<String, Value> enc, Value training) {
    TransformerStack dec = (TransformerStack) model.decoder();
    int v = model.targetVocabulary();
    Map<String, Value> cross = backend.run(ModelForm.DECODER_CROSS_CACHE, Map.of("memory", enc.get("memory")));
    assertArrayEquals(new long[] {BATCH, dec.heads(), SOURCE, model.embeddingDim() / dec.heads()},
        cross.get("cross_key_0").shape(), on + "cross_key_0 shape");
    Map<String, Value> past = new LinkedHashMap<>();
    for (int i = 0; i < dec.layers(); i++) {
      Value empty = Value.ofFloats(new long[] {BATCH, dec.heads(), 0, model.embeddingDim() / dec.heads()});
      past.put("past_key_" + i, empty);
      past.put("past_value_" + i, empty);
    }
    for (int t = 0; t < TARGET; t++) {
      long[] tokens = new long[BATCH];
      for (int b = 0; b < BATCH; b++) {
        tokens[b] = batch.target[b][t];
      }
      Map<String, Value> feeds = new LinkedHashMap<>(cross);
      feeds.putAll(past);
      feeds.put("token", Value.ofInt64(new long[] {BATCH}, tokens));
      feeds.put("source_lengths", batch.lengthsValue());
      Map<String, Value> out = backend.run(ModelForm.DECODER_STEP_CACHED, feeds);
      assertClose(on + "decoder_step_cached at " + t + " vs training", trainingAt(training, t, v), out.get("log_probs"));
      for (int i = 0; i < dec.layers(); i++) {
        assertEquals(t + 1, out.get("present_key_" + i).shape()[2], on + "present_key_" + i + " steps");
        past.put("past_key_" + i, out.get("present_key_" + i));
        past.put("past_value_" + i, out.get("present_value_" + i));
      }
    }
  }

  /** The training form's log-probabilities at position t, {@code [BATCH, v]} flattened. */
  static double[] trainingAt(Value training, int t, int v) {
    double[] at = new double[BATCH * v];
    for (int b = 0; b < BATCH; b++) {
      for (int k = 0; k < v; k++) {
        at[b * v + k] = training.getDouble((b * TARGET + t) * v + k);
      }
    }
    return at;
  }

  /** Greedy decoding by stepping the exported decoder_step form with argmax on one backend. */
  static long[] stepGreedily(Seq2Seq model, FormBackends.Backend backend, Batch batch, Map<String, Value> enc) {
    int max = model.maxTargetLength();
    int v = model.targetVocabulary();
    long[][] tokens = new long[BATCH][max];
    boolean[] done = new boolean[BATCH];
    long[] previous = new long[BATCH];
    Arrays.fill(previous, SpecialTokens.BOS);
    Value h = enc.get("state_h");
    Value c = enc.get("state_c");
    for (int t = 0; t < max; t++) {
      Map<String, Value> feeds = new LinkedHashMap<>();
      Map<String, Value> out;
      if (model.recurrent()) {
        feeds.put("token", Value.ofInt64(new long[] {BATCH}, previous.clone()));
        feeds.put("state_h", h);
        if (c != null) {
          feeds.put("state_c", c);
        }
        if (((RnnDecoder) model.decoder()).attends()) {
          feeds.put("memory", enc.get("memory"));
          feeds.put("source_lengths", batch.lengthsValue());
        }
        out = backend.run(ModelForm.DECODER_STEP, feeds);
        h = out.get("new_state_h");
        c = out.get("new_state_c");
      } else {
        long[][] prefix = new long[BATCH][t + 1];
        for (int b = 0; b < BATCH; b++) {
          prefix[b][0] = SpecialTokens.BOS;
          System.arraycopy(tokens[b], 0, prefix[b], 1, t);
        }
        out = backend.run(ModelForm.DECODER_STEP, Map.of("target", ids(prefix), "memory", enc.get("memory"),
            "source_lengths", batch.lengthsValue()));
      }
      Value logProbs = out.get("log_probs");
      for (int b = 0; b < BATCH; b++) {
        double[] row = new double[v];
        for (int k = 0; k < v; k++) {
          row[k] = logProbs.getDouble(b * v + k);
        }
        tokens[b][t] = done[b] ? SpecialTokens.PAD : Seq2SeqOracle.argmax(row);
        previous[b] = tokens[b][t];
        done[b] |= tokens[b][t] == SpecialTokens.EOS;
      }
    }
    return Arrays.stream(tokens).flatMapToLong(Arrays::stream).toArray();
  }
}
