package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every seq2seq form of every kind (LSTM, GRU, each attention score, Transformers) against the
 * double-precision {@link Oracle}: several batch sizes, source lengths (1, mixed, the model's
 * maximum) and target lengths; greedy decoding against the oracle's own greedy loop.
 */
class Seq2SeqFormsTest {

  static final double TOLERANCE = 1e-5;
  private static final Map<String, Double> WORST = new LinkedHashMap<>();
  private static int greedySequences;
  private static int greedyEnded;

  static Stream<Named<Seq2Seq>> models() {
    return Seq2SeqFixtures.all().stream().map(m -> Named.of(m.name(), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyFormMatchesTheOracle(Seq2Seq model) {
    Weights weights = Seq2SeqFixtures.randomWeights(model, 11, 0.5);
    try (TfForms forms = TfForms.build(model, weights)) {
      assertEquals(model.recurrent() ? List.of("training", "encoder", "decoder_step", "greedy_decoder")
          : List.of("training", "encoder", "decoder_step", "decoder_cross_cache", "decoder_step_cached", "greedy_decoder"),
          forms.names());
      List<String> checked = model.recurrent() ? List.of(ModelForm.TRAINING, ModelForm.ENCODER, ModelForm.DECODER_STEP)
          : List.of(ModelForm.TRAINING, ModelForm.ENCODER, ModelForm.DECODER_STEP, ModelForm.DECODER_CROSS_CACHE,
              ModelForm.DECODER_STEP_CACHED);
      for (String name : checked) {
        ModelForm form = model.form(name);
        for (int[] bst : new int[][] {{1, 1, 1}, {4, 7, 5}, {3, 12, 6}}) {
          Map<String, Tensor> inputs = Seq2SeqFixtures.inputs(model, form, 7L * bst[1] + bst[2], bst[0], bst[1], bst[2]);
          Map<String, FloatTensor> actual = forms.form(name).run(inputs);
          Map<String, DoubleTensor> expected = Oracle.seq2seq(model, weights, name, inputs);
          assertEquals(form.outputs().stream().map(TensorSpec::name).toList(), List.copyOf(actual.keySet()), name);
          for (String out : actual.keySet()) {
            double error = Expected.maxAbsError(actual.get(out), expected.get(out));
            assertTrue(error < TOLERANCE, model.name() + " " + name + " " + out + " B/S/T=" + java.util.Arrays.toString(bst)
                + ": max abs error " + error);
            synchronized (WORST) {
              WORST.merge(name, error, Math::max);
            }
          }
        }
      }
    }
  }

  /** The training graph's forward (RNNs unrolled over the batch's own S and T, no padding to the maxima) equals the oracle. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void unrolledTrainingForwardMatchesTheOracle(Seq2Seq model) {
    Weights weights = Seq2SeqFixtures.randomWeights(model, 13, 0.5);
    for (int[] bst : new int[][] {{4, 7, 5}, {2, 1, 1}}) {
      Map<String, Tensor> inputs = Seq2SeqFixtures.inputs(model, model.form(ModelForm.TRAINING), 17L + bst[1], bst[0], bst[1], bst[2]);
      FloatTensor actual;
      try (org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
        org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph);
        Seq2SeqGraph g = new Seq2SeqGraph(model, tf, Seq2SeqForms.constants(tf, model, weights));
        LongTensor source = (LongTensor) inputs.get("source");
        LongTensor target = (LongTensor) inputs.get("target");
        var logits = g.logits(g.encode(ids(tf, source), tf.constant(((LongTensor) inputs.get("source_lengths")).toIntArray()), bst[1]),
            ids(tf, target), bst[2]);
        var logProbs = TfActivations.lastAxis(tf, tf.reshape(logits, tf.constant(new int[] {bst[0], bst[2],
            model.targetVocabulary()})), tf.nn::logSoftmax);
        try (org.tensorflow.Session session = new org.tensorflow.Session(graph);
            org.tensorflow.Result r = session.runner().fetch(logProbs).run()) {
          actual = TfTensors.fromNative((org.tensorflow.types.TFloat32) r.get(0));
        }
      }
      double error = Expected.maxAbsError(actual, Oracle.seq2seq(model, weights, ModelForm.TRAINING, inputs).get("log_probs"));
      assertTrue(error < TOLERANCE, model.name() + " unrolled: " + error);
      synchronized (WORST) {
        WORST.merge("unrolled training forward", error, Math::max);
      }
    }
  }

  private static org.tensorflow.Operand<org.tensorflow.types.TInt64> ids(org.tensorflow.op.Ops tf, LongTensor t) {
    return tf.constant(org.tensorflow.ndarray.Shape.of(t.shape()), org.tensorflow.ndarray.buffer.DataBuffers.of(t.data(), true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void greedyDecodingMatchesTheOraclesGreedyLoop(Seq2Seq model) {
    Weights weights = favourEos(Seq2SeqFixtures.randomWeights(model, 12, 1.5), 1.8);
    ModelForm form = model.form(ModelForm.GREEDY_DECODER);
    try (TfForms forms = TfForms.build(model, weights)) {
      for (int[] bs : new int[][] {{1, 1}, {5, 9}}) {
        Map<String, Tensor> inputs = Seq2SeqFixtures.inputs(model, form, 3L * bs[1], bs[0], bs[1], 0);
        FloatTensor tokens = forms.form(ModelForm.GREEDY_DECODER).run(inputs).get("tokens");
        long[] expected = oracleGreedy(model, weights, inputs);
        assertEquals(List.of((long) bs[0], (long) model.maxTargetLength()), List.of(tokens.dim(0), tokens.dim(1)));
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], (long) tokens.data()[i], model.name() + " token " + i);
        }
        synchronized (WORST) {
          for (int b = 0; b < bs[0]; b++) {
            greedySequences++;
            for (int t = 0; t < model.maxTargetLength() - 1; t++) {
              if (expected[b * model.maxTargetLength() + t] == SpecialTokens.EOS) {
                greedyEnded++;
                break;
              }
            }
          }
        }
      }
    }
  }

  /** The weights with {@code extra} added to EOS's output bias, so that some sequences end early. */
  static Weights favourEos(Weights weights, double extra) {
    Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
    float[] bias = t.get("output/bias").data().clone();
    bias[SpecialTokens.EOS] += (float) extra;
    t.put("output/bias", new FloatTensor(t.get("output/bias").shape(), bias));
    return new Weights(t);
  }

  /** Greedy decoding with the reference decoder: argmax (lower id on ties), PAD after EOS. */
  static long[] oracleGreedy(Seq2Seq model, Weights weights, Map<String, Tensor> inputs) {
    DoubleTensor tokens = new dev.rnnx.ref.RefSeq2Seq(model, weights)
        .greedy((LongTensor) inputs.get("source"), (LongTensor) inputs.get("source_lengths"));
    long[] out = new long[tokens.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (long) tokens.data()[i];
    }
    return out;
  }


  @Test
  void inputsAreCheckedBeforeRunning() {
    Seq2Seq model = Seq2SeqFixtures.rnn("gru_additive", dev.rnnx.spec.Cell.GRU, dev.rnnx.spec.AttentionScore.ADDITIVE);
    try (TfForms forms = TfForms.build(model, Seq2SeqFixtures.randomWeights(model, 1, 0.5))) {
      TfForm training = forms.form(ModelForm.TRAINING);
      Map<String, Tensor> ok = Seq2SeqFixtures.inputs(model, training.form(), 1, 2, 4, 3);
      Map<String, Tensor> tooLong = new LinkedHashMap<>(ok);
      tooLong.put("source", LongTensor.of(new long[2 * 13], 2, 13));
      assertMessage(training, tooLong,
          "request: input 'source' must be int64 [batch, source_time], got int64 [2, 13]: source_time is at most 12 (max_source_length)");
      // the reference refuses with the very same words: one contract for both
      Weights weights = Seq2SeqFixtures.randomWeights(model, 1, 0.5);
      assertEquals(assertThrows(IllegalArgumentException.class, () -> training.run(tooLong)).getMessage(),
          assertThrows(IllegalArgumentException.class,
              () -> dev.rnnx.ref.ReferenceForms.form(model, weights, ModelForm.TRAINING).forward(tooLong)).getMessage());
      Map<String, Tensor> badId = new LinkedHashMap<>(ok);
      badId.put("target", LongTensor.of(new long[] {0, 1, 8, 0, 1, 2}, 2, 3));
      assertMessage(training, badId, "input 'target' holds 8 at [0, 2], expected 0 … 7 (token ids of the target vocabulary)");
      Map<String, Tensor> badLength = new LinkedHashMap<>(ok);
      badLength.put("source_lengths", LongTensor.of(new long[] {5, 1}, 2));
      assertMessage(training, badLength, "input 'source_lengths' holds 5 at [0], expected 1 … 4 (lengths along source_time)");
      Map<String, Tensor> missing = new LinkedHashMap<>(ok);
      missing.remove("target");
      assertMessage(training, missing, "'target' is missing");
      Map<String, Tensor> floats = new LinkedHashMap<>(ok);
      floats.put("source", FloatTensor.zeros(2, 4));
      assertMessage(training, floats, "input 'source' must be int64 [batch, source_time], got float32 [2, 4]");
      TfForm step = forms.form(ModelForm.DECODER_STEP);
      Map<String, Tensor> rows = new LinkedHashMap<>(Seq2SeqFixtures.inputs(model, step.form(), 1, 2, 4, 0));
      rows.put("state_h", FloatTensor.zeros(3, 5));
      assertMessage(step, rows, "input 'state_h' must be float32 [batch, 5], got float32 [3, 5]: batch is 2 in input 'token'");
      assertThrows(IllegalArgumentException.class, () -> forms.form("model"));
    }
  }

  private static void assertMessage(TfForm form, Map<String, Tensor> inputs, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> form.run(inputs));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @AfterAll
  static void report() {
    System.out.println("seq2seq forms parity, worst max abs error per form: " + WORST);
    System.out.printf("greedy decoding: %d sequences equal the oracle's, %d of them ended by EOS before the last step%n",
        greedySequences, greedyEnded);
    assertTrue(greedySequences == 0 || greedyEnded > 0, "no greedy sequence ended early: PAD after EOS untested");
  }
}
