package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.weights.Weights;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attention-family layers by hand, against plain direct computations ({@link Direct}) and
 * against hand-built ONNX graphs of standard ops ({@link TinyGraph}): layer normalisation,
 * positional encoding, self-attention with every score, multi-head attention, the Transformer
 * encoder block and global average pooling, with exact-zero masking.
 */
class AttentionLayersTest {

  static final double TOL = 1e-12;

  // ---- layer normalisation ----------------------------------------------------------------------

  @Test
  void layerNormalisationByHand() {
    LayerNormalization ln = new LayerNormalization("ln", 1e-3, true, true);
    Sequential m = model(4, false, ln);
    Weights w = weights(m, Map.of("ln/gamma", new float[] {1, 2, 0.5f, -1}, "ln/beta", new float[] {0, 1, 0, 0.5f}));
    double[] y = run(m, w, features(new float[] {1, 2, 3, 4}, 1, 1, 4), null).data();
    double inv = 1 / Math.sqrt(1.25 + 1e-3); // mean 2.5, biased variance 1.25
    assertArrayEquals(new double[] {-1.5 * inv, -0.5 * inv * 2 + 1, 0.5 * inv * 0.5, 1.5 * inv * -1 + 0.5}, y, TOL);

    LayerNormalization bare = new LayerNormalization("ln", 0.5, false, false);
    Sequential plain = model(2, false, bare);
    assertEquals(List.of(), plain.parameters());
    double[] z = run(plain, new Weights(Map.of()), features(new float[] {3, 5}, 1, 1, 2), null).data();
    assertArrayEquals(new double[] {-1 / Math.sqrt(1.5), 1 / Math.sqrt(1.5)}, z, TOL); // var 1, eps 0.5
  }

  @Test
  void layerNormalisationMatchesOnnxLayerNormalization() {
    LayerNormalization ln = new LayerNormalization("ln", 1e-5, true, true);
    Sequential m = model(5, false, ln);
    Weights w = RefFixtures.weights(m, 3, 1.0);
    FloatTensor x = RefFixtures.gaussian(new Random(4), 2, 3, 5);
    DoubleTensor ours = run(m, w, x, null);

    TinyGraph g = new TinyGraph(17);
    String in = g.input("x", Value.of(DataType.DOUBLE, DoubleTensor.of(x)));
    String scale = g.constant(Value.of(DataType.DOUBLE, DoubleTensor.of(w.get("ln/gamma"))));
    String bias = g.constant(Value.of(DataType.DOUBLE, DoubleTensor.of(w.get("ln/beta"))));
    Value onnx = g.run(g.op("LayerNormalization", List.of(in, scale, bias), TinyGraph.floatAttr("epsilon", 1e-5f),
        TinyGraph.intAttr("axis", -1)));
    assertArrayEquals(onnx.toDoubleArray(), ours.data(), 1e-9, "ONNX's epsilon is a float attribute: 1e-5f ≠ 1e-5");
  }

  // ---- positional encoding ----------------------------------------------------------------------

  @Test
  void positionalEncodingByHand() {
    Sequential m = model(4, false, new PositionalEncoding("pe", 3, false));
    double[] y = run(m, new Weights(Map.of()), FloatTensor.zeros(1, 3, 4), null).data();
    double[] want = new double[12];
    for (int t = 0; t < 3; t++) {
      want[t * 4] = Math.sin(t);
      want[t * 4 + 1] = Math.cos(t);
      want[t * 4 + 2] = Math.sin(t / 100.0); // 10000^(2/4) = 100
      want[t * 4 + 3] = Math.cos(t / 100.0);
    }
    assertArrayEquals(want, y, TOL);

    Sequential scaled = model(4, false, new PositionalEncoding("pe", 3, true));
    float[] ones = new float[8];
    java.util.Arrays.fill(ones, 1f);
    double[] s = run(scaled, new Weights(Map.of()), features(ones, 1, 2, 4), null).data();
    for (int i = 0; i < 8; i++) {
      assertEquals(2 + want[i], s[i], TOL, "√4 · 1 + signal at " + i);
    }
    String msg = assertThrows(IllegalArgumentException.class,
        () -> run(m, new Weights(Map.of()), FloatTensor.zeros(1, 4, 4), null)).getMessage();
    assertEquals("request: input 'input' must be float32 [batch, time, 4], got float32 [1, 4, 4]: time is at most 3"
        + " (max_length of layer 'pe')", msg);
  }

  // ---- self-attention ---------------------------------------------------------------------------

  @Test
  void attentionScoresByHand() {
    float[] x = {1, 0, 0, 2};
    Map<AttentionScore, double[][]> scores = new LinkedHashMap<>();
    scores.put(AttentionScore.DOT, new double[][] {{1, 0}, {0, 4}});
    scores.put(AttentionScore.SCALED_DOT, new double[][] {{1 / Math.sqrt(2), 0}, {0, 4 / Math.sqrt(2)}});
    scores.put(AttentionScore.GENERAL, new double[][] {{0, 2}, {2, 0}});
    scores.put(AttentionScore.ADDITIVE, new double[][] {{2 * Math.tanh(1), 2 * Math.tanh(3)}, {0, 2 * Math.tanh(2)}});
    Map<String, float[]> params = new HashMap<>();
    params.put("att/kernel", new float[] {0, 1, 1, 0});
    params.put("att/query_kernel", new float[] {1, 0});
    params.put("att/key_kernel", new float[] {0, 1});
    params.put("att/bias", new float[] {0});
    params.put("att/score_vector", new float[] {2});
    for (var entry : scores.entrySet()) {
      Sequential m = model(2, false, new Attention("att", entry.getKey(), 1, false));
      double[] y = run(m, weights(m, params), features(x, 1, 2, 2), null).data();
      double[][] s = entry.getValue();
      double[] want = new double[4];
      for (int i = 0; i < 2; i++) {
        double a0 = Math.exp(s[i][0]) / (Math.exp(s[i][0]) + Math.exp(s[i][1]));
        want[i * 2] = a0 * 1;
        want[i * 2 + 1] = (1 - a0) * 2;
      }
      assertArrayEquals(want, y, TOL, entry.getKey().toString());
    }
  }

  @ParameterizedTest
  @EnumSource(AttentionScore.class)
  void attentionMatchesDirectWithExactZeroWeightsForMaskedKeys(AttentionScore score) {
    for (boolean causal : new boolean[] {false, true}) {
      Attention att = new Attention("att", score, 3, causal);
      Sequential m = model(4, true, att);
      Weights w = RefFixtures.weights(m, 5, 0.8);
      FloatTensor x = RefFixtures.gaussian(new Random(6), 3, 5, 4);
      int[] lengths = {5, 1, 3};
      RefTrace trace = new ReferenceModel(m, w).trace(inputs(x, lengths));
      double[] y = trace.outputs().get("output").data();
      DoubleTensor alpha = trace.layer("att").internal("weights");
      assertArrayEquals(new long[] {3, 5, 5}, alpha.shape());
      for (int b = 0; b < 3; b++) {
        double[][] xs = Direct.rows(DoubleTensor.of(x).data(), b, 5, 4);
        for (int i = 0; i < 5; i++) {
          int valid = causal ? Math.min(lengths[b], i + 1) : lengths[b];
          double[] s = new double[5];
          for (int j = 0; j < 5; j++) {
            s[j] = directScore(score, w, xs[i], xs[j]);
          }
          double[] a = Direct.softmax(s, valid);
          double sum = 0;
          for (int j = 0; j < 5; j++) {
            assertEquals(a[j], alpha.at(b, i, j), TOL);
            if (j >= valid) {
              assertEquals(0.0, alpha.at(b, i, j), "masked key " + j + " of query " + i + " gets exactly zero weight");
            }
            sum += alpha.at(b, i, j);
          }
          assertEquals(1.0, sum, TOL);
          for (int k = 0; k < 4; k++) {
            double want = 0;
            for (int j = 0; j < 5; j++) {
              want += a[j] * xs[j][k];
            }
            assertEquals(want, y[(b * 5 + i) * 4 + k], TOL);
          }
        }
      }
      assertPaddingDoesNotLeak(m, w, x, lengths);
    }
  }

  static double directScore(AttentionScore score, Weights w, double[] q, double[] k) {
    int d = q.length;
    switch (score) {
      case DOT, SCALED_DOT -> {
        double s = 0;
        for (int i = 0; i < d; i++) {
          s += q[i] * k[i];
        }
        return score == AttentionScore.DOT ? s : s / Math.sqrt(d);
      }
      case GENERAL -> {
        double[][] kernel = Direct.matrix(w, "att/kernel", d, d);
        double s = 0;
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < d; j++) {
            s += q[i] * kernel[i][j] * k[j];
          }
        }
        return s;
      }
      default -> {
        double[][] wq = Direct.matrix(w, "att/query_kernel", d, 3);
        double[][] wk = Direct.matrix(w, "att/key_kernel", d, 3);
        double[] b = Direct.vector(w, "att/bias");
        double[] v = Direct.vector(w, "att/score_vector");
        double s = 0;
        for (int u = 0; u < 3; u++) {
          double z = b[u];
          for (int i = 0; i < d; i++) {
            z += q[i] * wq[i][u] + k[i] * wk[i][u];
          }
          s += v[u] * Math.tanh(z);
        }
        return s;
      }
    }
  }

  /** Changing the input at padded steps changes no output at a valid step, bit for bit. */
  static void assertPaddingDoesNotLeak(Sequential m, Weights w, FloatTensor x, int[] lengths) {
    int time = (int) x.dim(1);
    int d = (int) x.dim(2);
    float[] changed = x.data().clone();
    for (int b = 0; b < lengths.length; b++) {
      for (int t = lengths[b]; t < time; t++) {
        for (int k = 0; k < d; k++) {
          changed[(b * time + t) * d + k] += 7.5f;
        }
      }
    }
    double[] before = new ReferenceModel(m, w).forward(inputs(x, lengths)).get("output").data();
    double[] after = new ReferenceModel(m, w).forward(inputs(new FloatTensor(x.shape(), changed), lengths)).get("output").data();
    int width = before.length / (lengths.length * time);
    boolean anyPaddedChanged = false;
    for (int b = 0; b < lengths.length; b++) {
      for (int t = 0; t < time; t++) {
        for (int k = 0; k < width; k++) {
          int i = (b * time + t) * width + k;
          if (t < lengths[b]) {
            assertEquals(before[i], after[i], 0.0, "valid step " + t + " of sequence " + b);
          } else {
            anyPaddedChanged |= before[i] != after[i];
          }
        }
      }
    }
    assertTrue(anyPaddedChanged, "query steps past the length are computed like any other");
  }

  // ---- multi-head attention ---------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void oneHeadWithIdentityProjectionsIsScaledDotAttention(boolean causal) {
    int d = 4;
    Sequential mha = model(d, true, new MultiHeadAttention("mha", 1, d, causal));
    Map<String, float[]> p = new HashMap<>();
    for (String proj : List.of("query", "key", "value", "output")) {
      float[] eye = new float[d * d];
      for (int i = 0; i < d; i++) {
        eye[i * d + i] = 1;
      }
      p.put("mha/" + proj + "/kernel", eye);
      p.put("mha/" + proj + "/bias", new float[d]);
    }
    Sequential att = model(d, true, new Attention("att", AttentionScore.SCALED_DOT, 1, causal));
    FloatTensor x = RefFixtures.gaussian(new Random(8), 3, 6, d);
    int[] lengths = {2, 6, 1};
    double[] a = run(mha, weights(mha, p), x, lengths).data();
    double[] b = run(att, new Weights(Map.of()), x, lengths).data();
    assertArrayEquals(b, a, TOL);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void multiHeadAttentionMatchesDirect(boolean causal) {
    MultiHeadAttention layer = new MultiHeadAttention("mha", 2, 3, causal);
    Sequential m = model(4, true, layer);
    Weights w = RefFixtures.weights(m, 9, 0.7);
    FloatTensor x = RefFixtures.gaussian(new Random(10), 3, 5, 4);
    int[] lengths = {3, 5, 1};
    RefTrace trace = new ReferenceModel(m, w).trace(inputs(x, lengths));
    double[] y = trace.outputs().get("output").data();
    for (int b = 0; b < 3; b++) {
      double[][] xs = Direct.rows(DoubleTensor.of(x).data(), b, 5, 4);
      double[][] want = Direct.mha(w, "mha", 2, 3, xs, xs, lengths[b], causal);
      assertArrayEquals(flat(want), flat(Direct.rows(y, b, 5, 4)), TOL);
    }
    DoubleTensor alpha = trace.layer("mha").internal("weights");
    assertArrayEquals(new long[] {3, 2, 5, 5}, alpha.shape());
    for (int b = 0; b < 3; b++) {
      for (int h = 0; h < 2; h++) {
        for (int i = 0; i < 5; i++) {
          for (int j = 0; j < 5; j++) {
            if (j >= lengths[b] || (causal && j > i)) {
              assertEquals(0.0, alpha.at(b, h, i, j), "masked weight");
            } else {
              assertTrue(alpha.at(b, h, i, j) > 0);
            }
          }
        }
      }
    }
    assertPaddingDoesNotLeak(m, w, x, lengths);
  }

  /**
   * Multi-head attention as ONNX's standard ops spell it: MatMul/Add projections, Reshape to
   * {@code [B, T, heads, key_dim]} and Transpose to heads first, MatMul with the transposed keys,
   * Mul by 1/√key_dim, Add of a −∞ mask (padding and causal), Softmax on the last axis, MatMul with
   * the values, Transpose and Reshape back, output projection. This ties the head-major column
   * layout to the one Keras and ONNX graphs use.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void multiHeadAttentionMatchesOnnxMatMulSoftmaxGraph(boolean causal) {
    int batch = 3;
    int time = 4;
    int d = 6;
    int heads = 3;
    int keyDim = 2;
    Sequential m = model(d, true, new MultiHeadAttention("mha", heads, keyDim, causal));
    Weights w = RefFixtures.weights(m, 11, 0.6);
    FloatTensor x = RefFixtures.gaussian(new Random(12), batch, time, d);
    int[] lengths = {4, 1, 2};
    double[] ours = run(m, w, x, lengths).data();

    TinyGraph g = new TinyGraph(17);
    String in = g.input("x", Value.of(DataType.DOUBLE, DoubleTensor.of(x)));
    String[] qkv = new String[3];
    List<String> names = List.of("query", "key", "value");
    String split = g.constant(Value.ofInt64(new long[] {4}, batch, time, heads, keyDim));
    for (int i = 0; i < 3; i++) {
      String y = g.op("Add", List.of(g.op("MatMul", List.of(in, param(g, w, "mha/" + names.get(i) + "/kernel"))),
          param(g, w, "mha/" + names.get(i) + "/bias")));
      qkv[i] = g.op("Transpose", List.of(g.op("Reshape", List.of(y, split))), TinyGraph.intsAttr("perm", 0, 2, 1, 3));
    }
    String kt = g.op("Transpose", List.of(qkv[1]), TinyGraph.intsAttr("perm", 0, 1, 3, 2));
    String scores = g.op("Mul", List.of(g.op("MatMul", List.of(qkv[0], kt)),
        g.constant(Value.ofDoubles(DataType.DOUBLE, new long[] {}, new double[] {1 / Math.sqrt(keyDim)}))));
    double[] mask = new double[batch * time * time];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < time; i++) {
        for (int j = 0; j < time; j++) {
          mask[(b * time + i) * time + j] = j >= lengths[b] || (causal && j > i) ? Double.NEGATIVE_INFINITY : 0;
        }
      }
    }
    String masked = g.op("Add", List.of(scores, g.constant(Value.ofDoubles(DataType.DOUBLE, new long[] {batch, 1, time, time}, mask))));
    String weights = g.op("Softmax", List.of(masked), TinyGraph.intAttr("axis", -1));
    String context = g.op("Transpose", List.of(g.op("MatMul", List.of(weights, qkv[2]))), TinyGraph.intsAttr("perm", 0, 2, 1, 3));
    String merged = g.op("Reshape", List.of(context, g.constant(Value.ofInt64(new long[] {3}, batch, time, heads * keyDim))));
    String out = g.op("Add", List.of(g.op("MatMul", List.of(merged, param(g, w, "mha/output/kernel"))),
        param(g, w, "mha/output/bias")));
    assertArrayEquals(g.run(out).toDoubleArray(), ours, TOL);
  }

  // ---- Transformer encoder block ----------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"false, false", "true, false", "false, true", "true, true"})
  void transformerEncoderBlockMatchesDirect(boolean causal, boolean preNormGelu) {
    TransformerEncoder block = new TransformerEncoder("enc", 2, 6, 1e-3, causal, preNormGelu,
        preNormGelu ? FeedForwardActivation.GELU : FeedForwardActivation.RELU);
    Sequential m = model(4, true, block);
    Weights w = RefFixtures.weights(m, 13, 0.7);
    FloatTensor x = RefFixtures.gaussian(new Random(14), 3, 5, 4);
    int[] lengths = {5, 2, 1};
    RefTrace trace = new ReferenceModel(m, w).trace(inputs(x, lengths));
    double[] y = trace.outputs().get("output").data();
    for (int b = 0; b < 3; b++) {
      double[][] xs = Direct.rows(DoubleTensor.of(x).data(), b, 5, 4);
      double[][] want = preNormGelu ? Direct.preNormGeluBlock(w, "enc", xs, lengths[b], 2, 6, 1e-3, causal)
          : Direct.encoderBlock(w, "enc", xs, lengths[b], 2, 6, 1e-3, causal);
      assertArrayEquals(flat(want), flat(Direct.rows(y, b, 5, 4)), TOL);
    }
    LayerTrace layer = trace.layer("enc");
    assertEquals(preNormGelu
        ? List.of("attention_norm/output", "attention/weights", "attention/output", "ffn_norm/output", "ffn_inner/output",
            "ffn_outer/output")
        : List.of("attention/weights", "attention/output", "attention_norm/output", "ffn_inner/output", "ffn_outer/output"),
        List.copyOf(layer.internals().keySet()));
    assertArrayEquals(new long[] {3, 2, 5, 5}, layer.internal("attention/weights").shape());
    assertArrayEquals(new long[] {3, 5, 6}, layer.internal("ffn_inner/output").shape());
    assertEquals(0.0, layer.internal("attention/weights").at(2, 1, 0, 1), "key 1 of a length-1 sequence");
    assertPaddingDoesNotLeak(m, w, x, lengths);
  }

  @Test
  void normFirstAndGeluEachChangeTheBlock() {
    TransformerEncoder pre = new TransformerEncoder("enc", 2, 6, 1e-3, false, true, FeedForwardActivation.GELU);
    Weights w = RefFixtures.weights(model(4, true, pre), 13, 0.7);
    FloatTensor x = RefFixtures.gaussian(new Random(14), 3, 5, 4);
    int[] lengths = {5, 2, 1};
    double[] y = new ReferenceModel(model(4, true, pre), w).trace(inputs(x, lengths)).outputs().get("output").data();
    for (TransformerEncoder other : List.of(new TransformerEncoder("enc", 2, 6, 1e-3, false, false, FeedForwardActivation.GELU),
        new TransformerEncoder("enc", 2, 6, 1e-3, false, true, FeedForwardActivation.RELU))) {
      double[] z = new ReferenceModel(model(4, true, other), w).trace(inputs(x, lengths)).outputs().get("output").data();
      double diff = 0;
      for (int i = 0; i < z.length; i++) {
        diff = Math.max(diff, Math.abs(z[i] - y[i]));
      }
      assertTrue(diff > 1e-3, other + " differs by " + diff);
    }
  }

  @Test
  void exactGeluOfKnownValues() {
    assertEquals(0.8427007929497149, Erf.erf(1), 1e-15);
    assertEquals(-0.9953222650189527, Erf.erf(-2), 1e-15);
    double[] v = {-1, 0, 0.5, 3};
    Erf.gelu(v);
    // x·Φ(x): Φ(−1) = 0.15865525393145707, Φ(0.5) = 0.6914624612740131, Φ(3) = 0.9986501019683699
    assertArrayEquals(new double[] {-0.15865525393145707, 0, 0.34573123063700656, 2.9959503059051097}, v, 1e-15);
  }

  @Test
  void transformerEncoderRefusesHeadsThatDoNotDivideTheWidth() {
    assertThrows(IllegalArgumentException.class, () -> model(5, false, new TransformerEncoder("enc", 2, 4, 1e-3, false)));
  }

  // ---- global average pooling and a whole stack ---------------------------------------------------

  @Test
  void globalAveragePoolingByHand() {
    Sequential m = model(1, true, new GlobalAveragePooling("pool"));
    FloatTensor x = features(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, 1);
    assertArrayEquals(new double[] {1.5, 5}, run(m, new Weights(Map.of()), x, new int[] {2, 3}).data(), TOL);
    Sequential full = model(1, false, new GlobalAveragePooling("pool"));
    DoubleTensor y = run(full, new Weights(Map.of()), x, null);
    assertArrayEquals(new long[] {2, 1}, y.shape());
    assertArrayEquals(new double[] {2, 5}, y.data(), TOL);
  }

  @Test
  void transformerClassifierStackTracesEveryLayerAndIsItsModelForm() {
    Sequential m = new Sequential("clf", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("emb", 10, 4, Initializer.EMBEDDING),
        new PositionalEncoding("pe", 8, true),
        new TransformerEncoder("enc", 2, 8, 1e-3, false),
        new LayerNormalization("ln", 1e-3, true, true),
        new GlobalAveragePooling("pool"),
        new Dense("out", 3, Activation.SOFTMAX, true)));
    Weights w = RefFixtures.weights(m, 15, 0.5);
    Map<String, Tensor> in = RefFixtures.inputs(m, 3, 6, new int[] {6, 1, 4}, 16, 10);
    RefTrace trace = new ReferenceModel(m, w).trace(in);
    assertEquals(List.of("emb", "pe", "enc", "ln", "pool", "out"), trace.layers().stream().map(l -> l.layer().name()).toList());
    assertArrayEquals(new long[] {3, 4}, trace.layer("pool").output().shape());
    DoubleTensor out = trace.outputs().get("output");
    for (int b = 0; b < 3; b++) {
      assertEquals(1.0, out.at(b, 0) + out.at(b, 1) + out.at(b, 2), TOL);
    }
    Map<String, ReferenceForm> forms = ReferenceForms.of(m, w);
    assertEquals(List.of(ModelForm.MODEL), List.copyOf(forms.keySet()));
    assertArrayEquals(out.data(), forms.get(ModelForm.MODEL).forward(in).get("output").data(), 0.0);
    // padding tokens past each length change nothing: every layer before the pooling is per-step or masks keys
    long[] ids = ((LongTensor) in.get("input")).data().clone();
    ids[1 * 6 + 3] = (ids[1 * 6 + 3] + 1) % 10;
    Map<String, Tensor> changed = new LinkedHashMap<>(in);
    changed.put("input", LongTensor.of(ids, 3, 6));
    assertArrayEquals(out.data(), new ReferenceModel(m, w).forward(changed).get("output").data(), 0.0);
    ids[0] = (ids[0] + 1) % 10;
    changed.put("input", LongTensor.of(ids, 3, 6));
    assertNotEquals(out.at(0, 0), new ReferenceModel(m, w).forward(changed).get("output").at(0, 0));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  static Sequential model(int features, boolean lengths, Layer layer) {
    ModelInput in = ModelInput.ofFeatures(features);
    return new Sequential("m", lengths ? in.withLengths() : in, List.of(layer));
  }

  static Weights weights(Sequential m, Map<String, float[]> values) {
    Map<String, float[]> wanted = new HashMap<>();
    for (ParameterSpec p : m.parameters()) {
      wanted.put(p.name(), values.get(p.name()));
    }
    return RefFixtures.weights(wanted, m);
  }

  static FloatTensor features(float[] v, long... shape) {
    return new FloatTensor(shape, v);
  }

  static Map<String, Tensor> inputs(FloatTensor x, int[] lengths) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put(Sequential.INPUT, x);
    if (lengths != null) {
      long[] l = new long[lengths.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = lengths[i];
      }
      in.put(Sequential.LENGTHS, LongTensor.of(l, l.length));
    }
    return in;
  }

  static DoubleTensor run(Sequential m, Weights w, FloatTensor x, int[] lengths) {
    return new ReferenceModel(m, w).forward(inputs(x, lengths)).get("output");
  }

  static String param(TinyGraph g, Weights w, String name) {
    return g.constant(Value.of(DataType.DOUBLE, DoubleTensor.of(w.get(name))));
  }

  static double[] flat(double[][] rows) {
    double[] out = new double[rows.length * rows[0].length];
    for (int t = 0; t < rows.length; t++) {
      System.arraycopy(rows[t], 0, out, t * rows[0].length, rows[0].length);
    }
    return out;
  }
}
