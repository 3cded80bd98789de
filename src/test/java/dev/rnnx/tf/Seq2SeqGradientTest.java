package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The seq2seq training graph's gradients (TF's C++ gradients through the unrolled encoder, the
 * attention decoder with its split kernel, the Transformer blocks and the log-softmax) against
 * central differences of the oracle's teacher-forced cross-entropy.
 */
class Seq2SeqGradientTest {

  static Stream<Named<Seq2Seq>> models() {
    return Stream.of(Seq2SeqFixtures.rnn("gru_additive", Cell.GRU, AttentionScore.ADDITIVE),
        Seq2SeqFixtures.rnn("lstm_general", Cell.LSTM, AttentionScore.GENERAL), Seq2SeqFixtures.rnn("lstm", Cell.LSTM, null),
        Seq2SeqFixtures.transformer("transformer", 1, 2)).map(m -> Named.of(m.name(), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void gradientsMatchCentralDifferences(Seq2Seq model) {
    Weights weights = Seq2SeqFixtures.randomWeights(model, 31, 0.5);
    Map<String, Tensor> inputs = Seq2SeqFixtures.inputs(model, model.form(ModelForm.TRAINING), 32, 3, 5, 4);
    LongTensor target = (LongTensor) inputs.get("target");
    long[] labels = new long[target.size()];
    Random random = new Random(33);
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(model.targetVocabulary());
    }
    Map<String, float[]> grads = tfGradients(model, weights, inputs, labels);
    Random pick = new Random(34);
    double worst = 0;
    int checked = 0;
    for (ParameterSpec p : model.parameters()) {
      for (int n = 0; n < 3; n++) {
        int i = pick.nextInt((int) p.size());
        float base = weights.get(p.name()).data()[i];
        float hi = base + 1e-4f;
        float lo = base - 1e-4f;
        double numeric = (loss(model, with(weights, p.name(), i, hi), inputs, labels)
            - loss(model, with(weights, p.name(), i, lo), inputs, labels)) / ((double) hi - lo);
        double error = Math.abs(grads.get(p.name())[i] - numeric);
        assertTrue(error < 1e-6 + 1e-4 * Math.abs(numeric), p.name() + "[" + i + "]: TF " + grads.get(p.name())[i] + ", numeric " + numeric);
        worst = Math.max(worst, error);
        checked++;
      }
    }
    System.out.printf("seq2seq gradient check %s: %d entries, worst abs error %.2g%n", model.name(), checked, worst);
  }

  private static Weights with(Weights w, String name, int index, float value) {
    Map<String, FloatTensor> t = new LinkedHashMap<>(w.tensors());
    float[] v = t.get(name).data().clone();
    v[index] = value;
    t.put(name, new FloatTensor(t.get(name).shape(), v));
    return new Weights(t);
  }

  /** Mean cross-entropy of the oracle's log-probabilities against the labels. */
  private static double loss(Seq2Seq model, Weights w, Map<String, Tensor> inputs, long[] labels) {
    DoubleTensor lp = Oracle.seq2seq(model, w, ModelForm.TRAINING, inputs).get("log_probs");
    int v = model.targetVocabulary();
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      sum -= lp.data()[i * v + (int) labels[i]];
    }
    return sum / labels.length;
  }

  private static Map<String, float[]> tfGradients(Seq2Seq model, Weights weights, Map<String, Tensor> inputs, long[] labels) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> params = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        params.put(p.name(), TfTensors.constant(tf, weights.get(p.name())));
      }
      Seq2SeqGraph g = new Seq2SeqGraph(model, tf, TfParameters.of(params));
      LongTensor source = (LongTensor) inputs.get("source");
      LongTensor target = (LongTensor) inputs.get("target");
      int b = (int) target.dim(0);
      int t = (int) target.dim(1);
      int v = model.targetVocabulary();
      Operand<TFloat32> logits = tf.reshape(g.logits(g.encode(ids(tf, source),
          tf.constant(((LongTensor) inputs.get("source_lengths")).toIntArray()), (int) source.dim(1)), ids(tf, target), t),
          tf.constant(new int[] {b, t, v}));
      Operand<TFloat32> y = tf.oneHot(ids(tf, LongTensor.of(labels, b, t)), tf.constant(v), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> logp = TfActivations.lastAxis(tf, logits, tf.nn::logSoftmax);
      Operand<TFloat32> loss = tf.math.div(tf.math.neg(tf.sum(tf.math.mul(y, logp), tf.constant(new int[] {0, 1, 2}))),
          tf.constant((float) (b * t)));
      List<String> names = new ArrayList<>(params.keySet());
      Output<?>[] grads = graph.addGradients(loss.asOutput(), names.stream().map(n -> params.get(n).asOutput()).toArray(Output<?>[]::new));
      Map<String, float[]> values = new LinkedHashMap<>();
      try (Session s = new Session(graph)) {
        Session.Runner runner = s.runner();
        for (Output<?> o : grads) {
          runner.fetch(o);
        }
        try (Result r = runner.run()) {
          for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), TfTensors.fromNative((TFloat32) r.get(i)).data());
          }
        }
      }
      return values;
    }
  }

  private static Operand<TInt64> ids(Ops tf, LongTensor t) {
    return tf.constant(org.tensorflow.ndarray.Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
  }
}
