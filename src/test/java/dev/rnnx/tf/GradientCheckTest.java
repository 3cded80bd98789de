package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training graph's gradients (TF's C++ gradients through the unrolled forward and the loss)
 * against central differences of the double-precision reference and {@link JavaLosses}: catches a
 * wrong op gradient (as LogSoftmax's on rank 3 was) for every layer kind, with lengths.
 */
class GradientCheckTest {

  static Stream<Arguments> cases() {
    ModelInput tokens = ModelInput.ofTokens().withLengths();
    ModelInput features = ModelInput.ofFeatures(3).withLengths();
    return Stream.of(
        Arguments.of(Named.of("embedding, bi-LSTM peephole, time-distributed softmax, CCE", new Sequential("a", tokens, List.of(
            new Embedding("embed", 7, 3, Initializer.EMBEDDING),
            new Bidirectional("bi", Lstm.builder("inner", 3).peephole(true).returnSequences(true).build(), MergeMode.CONCAT),
            new TimeDistributed("hidden", new Dense("inner", 4, Activation.TANH, true)),
            new TimeDistributed("out", new Dense("inner", 3, Activation.SOFTMAX, true))))), Loss.CATEGORICAL_CROSSENTROPY),
        Arguments.of(Named.of("LSTM of 128 units (per-gate products), peepholes, backwards, MSE", new Sequential("w", features,
            List.of(Lstm.builder("lstm", 128).peephole(true).goBackwards(true).build(), new Dense("out", 2, Activation.LINEAR, true)))),
            Loss.MSE),
        Arguments.of(Named.of("backward GRU reset-before, bi-SimpleRNN mul, sigmoid, BCE", new Sequential("b", features, List.of(
            Gru.builder("gru", 4).resetAfter(false).goBackwards(true).returnSequences(true).build(),
            new Bidirectional("bi", SimpleRnn.builder("inner", 3).build(), MergeMode.MUL),
            new Dense("out", 2, Activation.SIGMOID, true)))), Loss.BINARY_CROSSENTROPY),
        Arguments.of(Named.of("LSTM hard-sigmoid/softsign, GRU elu, bi-GRU ave, softmax, MSE", new Sequential("c", features, List.of(
            Lstm.builder("lstm", 4).recurrentActivation(Activation.HARD_SIGMOID).activation(Activation.SOFTSIGN)
                .returnSequences(true).build(),
            Gru.builder("gru", 3).activation(Activation.ELU).returnSequences(true).build(),
            new Bidirectional("bi", Gru.builder("inner", 3).returnSequences(true).build(), MergeMode.AVE),
            new TimeDistributed("out", new Dense("inner", 2, Activation.SOFTMAX, true))))), Loss.MSE),
        Arguments.of(Named.of("attention (additive, causal), multi-head attention, layer norm, CCE", new Sequential("d", features,
            List.of(new Attention("att", AttentionScore.ADDITIVE, 3, true), new MultiHeadAttention("mha", 2, 2, false),
                new LayerNormalization("norm", 1e-3, true, true),
                new TimeDistributed("out", new Dense("inner", 3, Activation.SOFTMAX, true))))), Loss.CATEGORICAL_CROSSENTROPY),
        Arguments.of(Named.of("embedding, positions, Transformer blocks, pooling, CCE", new Sequential("e", tokens, List.of(
            new Embedding("embed", 7, 4, Initializer.EMBEDDING), new PositionalEncoding("pe", 10, true),
            new TransformerEncoder("block_0", 2, 5, 1e-3, false), new TransformerEncoder("block_1", 1, 3, 1e-3, true),
            new GlobalAveragePooling("pool"), new Dense("out", 3, Activation.SOFTMAX, true)))), Loss.CATEGORICAL_CROSSENTROPY),
        Arguments.of(Named.of("pre-norm gelu and post-norm gelu Transformer blocks, MSE", new Sequential("g", features, List.of(
            new TimeDistributed("proj", new Dense("inner", 4, Activation.LINEAR, true)),
            new TransformerEncoder("block_0", 2, 5, 1e-3, false, true, FeedForwardActivation.GELU),
            new TransformerEncoder("block_1", 1, 3, 1e-3, true, false, FeedForwardActivation.GELU),
            new TimeDistributed("out", new Dense("inner", 2, Activation.LINEAR, true))))), Loss.MSE),
        Arguments.of(Named.of("general and scaled-dot attention, sigmoid, BCE", new Sequential("f", features, List.of(
            new Attention("a1", AttentionScore.GENERAL, 0, false), new Attention("a2", AttentionScore.SCALED_DOT, 0, true),
            new TimeDistributed("out", new Dense("inner", 2, Activation.SIGMOID, true))))), Loss.BINARY_CROSSENTROPY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientsMatchCentralDifferences(Sequential model, Loss loss) {
    int batch = 4;
    int time = 5;
    Weights weights = Fixtures.randomWeights(model, 21, 0.6);
    Map<String, Tensor> inputs = Fixtures.inputs(model, 22, batch, time);
    long[] lengths = ((LongTensor) inputs.get("lengths")).data();
    long[] outShape = Oracle.sequential(model, weights, inputs).get("output").shape();
    FloatTensor y = targets(outShape, loss, new Random(23));
    Map<String, float[]> tfGrads = tfGradients(model, weights, inputs, y, loss, time);
    double worst = 0;
    Random pick = new Random(24);
    int checked = 0;
    for (ParameterSpec p : model.parameters()) {
      float[] g = tfGrads.get(p.name());
      for (int n = 0; n < 4; n++) {
        int i = pick.nextInt((int) p.size());
        float base = weights.get(p.name()).data()[i];
        float hi = base + 1e-4f;
        float lo = base - 1e-4f;
        double up = lossAt(model, weights, inputs, y, loss, lengths, p.name(), i, hi);
        double down = lossAt(model, weights, inputs, y, loss, lengths, p.name(), i, lo);
        double numeric = (up - down) / ((double) hi - lo);
        double error = Math.abs(g[i] - numeric);
        assertTrue(error < 1e-6 + 1e-4 * Math.abs(numeric), p.name() + "[" + i + "]: TF " + g[i] + ", numeric " + numeric);
        worst = Math.max(worst, error);
        checked++;
      }
    }
    System.out.printf("gradient check %s: %d entries, worst abs error %.2g%n", model.name(), checked, worst);
  }

  private static FloatTensor targets(long[] shape, Loss loss, Random random) {
    int k = (int) shape[shape.length - 1];
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int r = 0; r < n / k; r++) {
      if (loss == Loss.CATEGORICAL_CROSSENTROPY) {
        v[r * k + random.nextInt(k)] = 1;
      } else {
        for (int j = 0; j < k; j++) {
          v[r * k + j] = loss == Loss.MSE ? (float) random.nextDouble() : random.nextInt(2);
        }
      }
    }
    return new FloatTensor(shape, v);
  }

  /** The double-precision loss with one weight set to {@code value}. */
  private static double lossAt(Sequential model, Weights weights, Map<String, Tensor> inputs, FloatTensor y, Loss loss,
      long[] lengths, String name, int index, float value) {
    Map<String, FloatTensor> changed = new LinkedHashMap<>(weights.tensors());
    float[] v = changed.get(name).data().clone();
    v[index] = value;
    changed.put(name, new FloatTensor(changed.get(name).shape(), v));
    DoubleTensor p = Oracle.sequential(model, new Weights(changed), inputs).get("output");
    return JavaLosses.loss(loss, p.shape(), p.data(), y, lengths);
  }

  private static Map<String, float[]> tfGradients(Sequential model, Weights weights, Map<String, Tensor> inputs, FloatTensor y,
      Loss loss, int time) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> params = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        params.put(p.name(), TfTensors.constant(tf, weights.get(p.name())));
      }
      Operand<TInt32> lengths = tf.constant(((LongTensor) inputs.get("lengths")).toIntArray());
      Tensor x = inputs.get("input");
      Unrolled input = x instanceof LongTensor ids
          ? Unrolled.tokens(tf.constant(org.tensorflow.ndarray.Shape.of(ids.shape()), DataBuffers.of(ids.data(), true, false)), time)
          : Unrolled.sequence(TfTensors.constant(tf, (FloatTensor) x), time);
      LayerContext ctx = LayerContext.unrolled(tf, TfParameters.of(params), time, lengths, Map.of());
      TfForward.Result forward = TfForward.unrolled(ctx, model, input);
      Unrolled out = forward.outputs().get(0);
      TfLosses.Parts parts = TfLosses.build(tf, loss, out.tensor(tf), forward.logits() == null ? null : forward.logits().tensor(tf),
          TfTensors.constant(tf, y), out.sequence() ? ctx.mask() : null, null, false);
      List<String> names = new ArrayList<>(params.keySet());
      Output<?>[] wrt = names.stream().map(n -> params.get(n).asOutput()).toArray(Output<?>[]::new);
      Output<?>[] grads = graph.addGradients(parts.loss().asOutput(), wrt);
      Map<String, float[]> values = new LinkedHashMap<>();
      try (Session s = new Session(graph)) {
        Session.Runner runner = s.runner();
        for (Output<?> g : grads) {
          runner.fetch(g);
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
}
