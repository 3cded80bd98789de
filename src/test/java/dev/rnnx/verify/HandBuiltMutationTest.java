package dev.rnnx.verify;

import dev.rnnx.djl.DjlBackend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxChecker;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two export bugs of attention-family layers, on hand-built ONNX graphs judged against a Java
 * expectation: the attention scale 1/√d left out, and LayerNormalization's epsilon changed. Verify
 * must fail and name the node where the graph departs from the expectation.
 *
 * <p>{@link MutationTest} injects the same two bugs into rnnx's own attention and LayerNorm exports.
 */
class HandBuiltMutationTest {

  private static final int D = 4;

  @Test
  void attentionWithoutItsScaleIsCaughtAtTheSoftmax(@TempDir Path dir) throws Exception {
    Path clean = write(dir.resolve("attention.onnx"), attention(true));
    Path bug = write(dir.resolve("attention-unscaled.onnx"), attention(false));
    Expectation attention = new Expectation("java-attention", HandBuiltMutationTest::attentionValues, "context");
    List<ParityCase> cases = cases(new String[] {"q", "k", "v"}, 1.0);
    assertTrue(verify(attention, clean, cases).passed(), "the correct graph matches the Java expectation");
    ParityResult r = verify(attention, bug, cases);
    assertFalse(r.passed());
    try (DjlBackend ort = DjlBackend.onnx(bug)) {
      Divergence d = DivergenceLocator.locateValues(attention, ort, cases.get(1), Criterion.DEFAULT);
      System.out.println(d.message());
      assertEquals("attn/Softmax", d.layer(), d.message());
      assertEquals("attn/probs", d.value());
      assertTrue(d.message().contains("computes no [attn/scaled]"), d.message());
    }
  }

  @Test
  void layerNormWithAnotherEpsilonIsCaughtAtTheNode(@TempDir Path dir) throws Exception {
    Path clean = write(dir.resolve("ln.onnx"), layerNorm(1e-5f));
    Path bug = write(dir.resolve("ln-eps.onnx"), layerNorm(1e-3f));
    Expectation ln = new Expectation("java-layernorm", HandBuiltMutationTest::layerNormValues, "y");
    List<ParityCase> cases = cases(new String[] {"x"}, 0.05);
    assertTrue(verify(ln, clean, cases).passed(), "epsilon 1e-5 matches the Java expectation");
    ParityResult r = verify(ln, bug, cases);
    assertFalse(r.passed());
    try (DjlBackend ort = DjlBackend.onnx(bug)) {
      Divergence d = DivergenceLocator.locateValues(ln, ort, cases.get(0), Criterion.DEFAULT);
      System.out.println(d.message());
      assertEquals("ln/LayerNormalization", d.layer(), d.message());
    }
  }

  private static ParityResult verify(Expectation reference, Path onnx, List<ParityCase> cases) {
    try (DjlBackend ort = DjlBackend.onnx(onnx)) {
      return ParityVerifier.verify(reference, List.of(ort), cases, ParityCriteria.of(Criterion.DEFAULT));
    }
  }

  /** A Java expectation that names its intermediate values as the graph does. */
  private record Expectation(String name, java.util.function.Function<Map<String, ? extends Tensor>,
      LinkedHashMap<String, FloatTensor>> values, String output) implements TracingBackend {

    @Override
    public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
      return Map.of(output, values.apply(inputs).get(output));
    }

    @Override
    public LinkedHashMap<String, FloatTensor> intermediates(Map<String, ? extends Tensor> inputs) {
      return values.apply(inputs);
    }
  }

  private static List<ParityCase> cases(String[] names, double scale) {
    Random r = new Random(3);
    List<ParityCase> cases = new ArrayList<>();
    for (int[] bt : new int[][] {{1, 1}, {2, 5}, {3, 7}}) {
      Map<String, Tensor> in = new LinkedHashMap<>();
      for (String n : names) {
        float[] v = new float[bt[0] * bt[1] * D];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (scale * r.nextGaussian());
        }
        in.put(n, FloatTensor.of(v, bt[0], bt[1], D));
      }
      cases.add(new ParityCase("batch" + bt[0] + "_len" + bt[1], in));
    }
    return cases;
  }

  private static LinkedHashMap<String, FloatTensor> attentionValues(Map<String, ? extends Tensor> in) {
    FloatTensor q = (FloatTensor) in.get("q");
    FloatTensor k = (FloatTensor) in.get("k");
    FloatTensor v = (FloatTensor) in.get("v");
    int b = (int) q.dim(0);
    int t = (int) q.dim(1);
    double[] scores = new double[b * t * t];
    double[] scaled = new double[b * t * t];
    double[] probs = new double[b * t * t];
    double[] context = new double[b * t * D];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < t; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < t; j++) {
          double s = 0;
          for (int d = 0; d < D; d++) {
            s += (double) q.data()[(n * t + i) * D + d] * k.data()[(n * t + j) * D + d];
          }
          scores[(n * t + i) * t + j] = s;
          scaled[(n * t + i) * t + j] = s / Math.sqrt(D);
          max = Math.max(max, s / Math.sqrt(D));
        }
        double sum = 0;
        for (int j = 0; j < t; j++) {
          sum += Math.exp(scaled[(n * t + i) * t + j] - max);
        }
        for (int j = 0; j < t; j++) {
          probs[(n * t + i) * t + j] = Math.exp(scaled[(n * t + i) * t + j] - max) / sum;
        }
        for (int d = 0; d < D; d++) {
          double c = 0;
          for (int j = 0; j < t; j++) {
            c += probs[(n * t + i) * t + j] * v.data()[(n * t + j) * D + d];
          }
          context[(n * t + i) * D + d] = c;
        }
      }
    }
    LinkedHashMap<String, FloatTensor> m = new LinkedHashMap<>();
    m.put("attn/scores", floats(scores, b, t, t));
    m.put("attn/scaled", floats(scaled, b, t, t));
    m.put("attn/probs", floats(probs, b, t, t));
    m.put("context", floats(context, b, t, D));
    return m;
  }

  private static LinkedHashMap<String, FloatTensor> layerNormValues(Map<String, ? extends Tensor> in) {
    FloatTensor x = (FloatTensor) in.get("x");
    int rows = x.size() / D;
    double[] y = new double[x.size()];
    for (int r = 0; r < rows; r++) {
      double mean = 0;
      for (int d = 0; d < D; d++) {
        mean += x.data()[r * D + d];
      }
      mean /= D;
      double var = 0;
      for (int d = 0; d < D; d++) {
        double c = x.data()[r * D + d] - mean;
        var += c * c;
      }
      var /= D;
      for (int d = 0; d < D; d++) {
        y[r * D + d] = (x.data()[r * D + d] - mean) / Math.sqrt(var + 1e-5) * GAMMA[d] + BETA[d];
      }
    }
    LinkedHashMap<String, FloatTensor> m = new LinkedHashMap<>();
    m.put("y", floats(y, x.dim(0), x.dim(1), D));
    return m;
  }

  private static final float[] GAMMA = {1.5f, 0.5f, -1f, 2f};
  private static final float[] BETA = {0.1f, -0.2f, 0f, 0.3f};

  private static FloatTensor floats(double[] v, long... shape) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return new FloatTensor(shape, f);
  }

  /** q, k, v [batch, time, 4] → context = softmax(q kᵀ (· 1/√4 unless left out)) v. */
  private static OnnxMl.ModelProto attention(boolean scaled) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("attention");
    for (String n : List.of("q", "k", "v")) {
      g.addInput(info(n, "batch", "time", D));
    }
    g.addNode(node("Transpose", "attn/Transpose", List.of("k"), List.of("attn/kt"))
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("perm").setType(OnnxMl.AttributeProto.AttributeType.INTS)
            .addInts(0).addInts(2).addInts(1)));
    g.addNode(node("MatMul", "attn/MatMul_scores", List.of("q", "attn/kt"), List.of("attn/scores")));
    String softmaxIn = "attn/scores";
    if (scaled) {
      g.addInitializer(OnnxMl.TensorProto.newBuilder().setName("attn/scale").setDataType(1).addFloatData((float) (1 / Math.sqrt(D))));
      g.addNode(node("Mul", "attn/Mul_scale", List.of("attn/scores", "attn/scale"), List.of("attn/scaled")));
      softmaxIn = "attn/scaled";
    }
    g.addNode(node("Softmax", "attn/Softmax", List.of(softmaxIn), List.of("attn/probs"))
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(-1)));
    g.addNode(node("MatMul", "attn/MatMul_context", List.of("attn/probs", "v"), List.of("context")));
    g.addOutput(info("context", "batch", "time", D));
    return model(g);
  }

  /** x [batch, time, 4] → LayerNormalization(x, γ, β) over the last axis. */
  private static OnnxMl.ModelProto layerNorm(float epsilon) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("layer-norm");
    g.addInput(info("x", "batch", "time", D));
    OnnxMl.TensorProto.Builder gamma = OnnxMl.TensorProto.newBuilder().setName("ln/gamma").setDataType(1).addDims(D);
    OnnxMl.TensorProto.Builder beta = OnnxMl.TensorProto.newBuilder().setName("ln/beta").setDataType(1).addDims(D);
    for (int d = 0; d < D; d++) {
      gamma.addFloatData(GAMMA[d]);
      beta.addFloatData(BETA[d]);
    }
    g.addInitializer(gamma).addInitializer(beta);
    g.addNode(node("LayerNormalization", "ln/LayerNormalization", List.of("x", "ln/gamma", "ln/beta"), List.of("y"))
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(-1))
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("epsilon").setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
            .setF(epsilon)));
    g.addOutput(info("y", "batch", "time", D));
    return model(g);
  }

  private static OnnxMl.ModelProto model(OnnxMl.GraphProto.Builder g) {
    OnnxMl.ModelProto m = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    OnnxChecker.check(m);
    return m;
  }

  private static OnnxMl.NodeProto.Builder node(String op, String name, List<String> in, List<String> out) {
    return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addAllOutput(out);
  }

  private static OnnxMl.ValueInfoProto info(String name, String batch, String time, int d) {
    OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(time))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
  }

  private static Path write(Path file, OnnxMl.ModelProto m) throws Exception {
    Files.write(file, m.toByteArray());
    return file;
  }
}
