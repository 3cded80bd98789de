package dev.rnnx.ref.onnx;

import static dev.rnnx.ref.onnx.TestModels.attr;
import static dev.rnnx.ref.onnx.TestModels.info;
import static dev.rnnx.ref.onnx.TestModels.ints;
import static dev.rnnx.ref.onnx.TestModels.model;
import static dev.rnnx.ref.onnx.TestModels.node;
import static dev.rnnx.ref.onnx.TestModels.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The random operators checked by their properties, not their values (numpy's draws cannot be
 * reproduced): shape, element type, range, sample statistics, and that a seed fixes the values.
 */
class RandomOpsTest {

  private static final long N = 4000;

  private static Map<String, Value> run(NodeProto n, List<ValueInfoProto> inputs, List<ValueInfoProto> outputs,
      Map<String, Value> feeds) {
    return new OnnxEvaluator(model(17, List.of(n), inputs, outputs, List.of())).run(feeds);
  }

  private static Value generator(String op, DataType type, AttributeProto... attrs) {
    List<AttributeProto> a = new ArrayList<>(List.of(attrs));
    a.add(ints("shape", 2, N / 2));
    a.add(attr("dtype", (long) type.onnxCode()));
    NodeProto n = node(op, List.of(), List.of("y"), a.toArray(new AttributeProto[0]));
    return run(n, List.of(), List.of(out("y", type)), Map.of()).get("y");
  }

  private static double mean(Value v) {
    double s = 0;
    for (int i = 0; i < v.size(); i++) {
      s += v.getDouble(i);
    }
    return s / v.size();
  }

  private static double std(Value v) {
    double m = mean(v);
    double s = 0;
    for (int i = 0; i < v.size(); i++) {
      s += (v.getDouble(i) - m) * (v.getDouble(i) - m);
    }
    return Math.sqrt(s / v.size());
  }

  @Test
  void randomUniformHasItsShapeTypeRangeAndMeanAndASeedFixesIt() {
    Value a = generator("RandomUniform", DataType.DOUBLE, attr("low", -2.0), attr("high", 3.0), attr("seed", 5.0));
    assertEquals(DataType.DOUBLE, a.type());
    assertArrayEquals(new long[] {2, N / 2}, a.shape());
    for (int i = 0; i < a.size(); i++) {
      assertTrue(a.getDouble(i) >= -2 && a.getDouble(i) < 3, "out of [-2, 3): " + a.getDouble(i));
    }
    assertEquals(0.5, mean(a), 0.15);
    assertEquals(a, generator("RandomUniform", DataType.DOUBLE, attr("low", -2.0), attr("high", 3.0),
        attr("seed", 5.0)));
    assertNotEquals(a, generator("RandomUniform", DataType.DOUBLE, attr("low", -2.0), attr("high", 3.0),
        attr("seed", 6.0)));
    assertNotEquals(generator("RandomUniform", DataType.FLOAT), generator("RandomUniform", DataType.FLOAT),
        "without a seed two runs differ");
  }

  @Test
  void randomNormalHasItsMeanAndScale() {
    Value a = generator("RandomNormal", DataType.FLOAT, attr("mean", 1.0), attr("scale", 2.0), attr("seed", 1.0));
    assertEquals(DataType.FLOAT, a.type());
    assertEquals(1.0, mean(a), 0.15);
    assertEquals(2.0, std(a), 0.15);
    assertEquals(a, generator("RandomNormal", DataType.FLOAT, attr("mean", 1.0), attr("scale", 2.0),
        attr("seed", 1.0)));
  }

  @Test
  void likeFormsTakeTheInputsShapeAndTypeUnlessDtypeIsGiven() {
    Value x = Value.ofLongs(DataType.INT32, new long[] {3, 5}, new long[15]);
    NodeProto u = node("RandomUniformLike", List.of("x"), List.of("y"), attr("dtype", (long) DataType.DOUBLE.onnxCode()),
        attr("seed", 2.0));
    Value y = run(u, List.of(info("x", DataType.INT32, 3, 5)), List.of(out("y", DataType.DOUBLE)), Map.of("x", x))
        .get("y");
    assertEquals(DataType.DOUBLE, y.type());
    assertArrayEquals(new long[] {3, 5}, y.shape());
    Value f = Value.ofFloats(new long[] {4}, 0, 0, 0, 0);
    NodeProto nl = node("RandomNormalLike", List.of("x"), List.of("y"));
    Value z = run(nl, List.of(info("x", DataType.FLOAT, 4)), List.of(out("y", DataType.FLOAT)), Map.of("x", f))
        .get("y");
    assertEquals(DataType.FLOAT, z.type());
    assertArrayEquals(new long[] {4}, z.shape());
  }

  @Test
  void bernoulliDrawsOnesWithTheInputsProbability() {
    double[] p = new double[(int) N];
    for (int i = 0; i < p.length; i++) {
      p[i] = i < 10 ? 0 : i < 20 ? 1 : 0.3;
    }
    Value probs = Value.ofDoubles(DataType.DOUBLE, new long[] {N}, p);
    NodeProto n = node("Bernoulli", List.of("p"), List.of("y"), attr("seed", 3.0));
    Value y = run(n, List.of(info("p", DataType.DOUBLE, N)), List.of(out("y", DataType.DOUBLE)), Map.of("p", probs))
        .get("y");
    assertEquals(DataType.DOUBLE, y.type());
    double ones = 0;
    for (int i = 0; i < N; i++) {
      double v = y.getDouble(i);
      assertTrue(v == 0 || v == 1, "not 0 or 1: " + v);
      if (i < 10) {
        assertEquals(0, v);
      } else if (i < 20) {
        assertEquals(1, v);
      } else {
        ones += v;
      }
    }
    assertEquals(0.3, ones / (N - 20), 0.04);
  }

  @Test
  void multinomialDrawsClassesInProportionToTheirProbabilities() {
    Value logits = Value.ofFloats(new long[] {1, 2}, 0f, (float) Math.log(3));
    NodeProto n = node("Multinomial", List.of("x"), List.of("y"), attr("sample_size", N), attr("seed", 4.0));
    Value y = run(n, List.of(info("x", DataType.FLOAT, 1, 2)), List.of(out("y", DataType.INT32)), Map.of("x", logits))
        .get("y");
    assertEquals(DataType.INT32, y.type());
    assertArrayEquals(new long[] {1, N}, y.shape());
    double ones = 0;
    for (int i = 0; i < N; i++) {
      assertTrue(y.getLong(i) == 0 || y.getLong(i) == 1);
      ones += y.getLong(i);
    }
    assertEquals(0.75, ones / N, 0.04);
  }

  @Test
  void dropoutInTrainingZeroesAboutRatioAndScalesTheRestAndIsTheIdentityOtherwise() {
    float[] ones = new float[(int) N];
    java.util.Arrays.fill(ones, 1f);
    Value x = Value.ofFloats(new long[] {N}, ones);
    Value ratio = Value.ofFloats(new long[0], 0.25f);
    Value training = Value.ofLongs(DataType.BOOL, new long[0], new long[] {1});
    NodeProto n = node("Dropout", List.of("x", "r", "t"), List.of("y", "mask"), attr("seed", 7L));
    List<ValueInfoProto> ins = List.of(info("x", DataType.FLOAT, N), info("r", DataType.FLOAT),
        info("t", DataType.BOOL));
    List<ValueInfoProto> outs = List.of(out("y", DataType.FLOAT), out("mask", DataType.BOOL));
    Map<String, Value> r = run(n, ins, outs, Map.of("x", x, "r", ratio, "t", training));
    Value y = r.get("y");
    Value mask = r.get("mask");
    assertEquals(DataType.BOOL, mask.type());
    double kept = 0;
    for (int i = 0; i < N; i++) {
      double expected = mask.getLong(i) == 1 ? 1 / 0.75 : 0;
      assertEquals(expected, y.getDouble(i), 1e-12);
      kept += mask.getLong(i);
    }
    assertEquals(0.75, kept / N, 0.04);
    assertEquals(r, run(n, ins, outs, Map.of("x", x, "r", ratio, "t", training)), "a seed fixes the mask");
    Value off = Value.ofLongs(DataType.BOOL, new long[0], new long[] {0});
    Map<String, Value> inference = run(n, ins, outs, Map.of("x", x, "r", ratio, "t", off));
    assertEquals(x, inference.get("y"));
    for (int i = 0; i < N; i++) {
      assertEquals(1, inference.get("mask").getLong(i));
    }
  }
}
