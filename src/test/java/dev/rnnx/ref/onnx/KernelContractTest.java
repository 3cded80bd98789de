package dev.rnnx.ref.onnx;

import static dev.rnnx.ref.onnx.TestModels.attr;
import static dev.rnnx.ref.onnx.TestModels.info;
import static dev.rnnx.ref.onnx.TestModels.ints;
import static dev.rnnx.ref.onnx.TestModels.node;
import static dev.rnnx.ref.onnx.TestModels.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kernels added for the backend test data, on hand-computed cases, and what each says when a model
 * breaks its contract: one {@link IllegalArgumentException} naming the node, the op and what was
 * expected.
 */
class KernelContractTest {

  /** Runs one node on named float inputs (each fed with its own shape). */
  private static Map<String, Value> run(int opset, NodeProto n, Map<String, Value> feeds, String... outputs) {
    List<ValueInfoProto> ins = new ArrayList<>();
    feeds.forEach((k, v) -> ins.add(info(k, v.type(), v.shape())));
    List<ValueInfoProto> outs = new ArrayList<>();
    for (String o : outputs) {
      outs.add(out(o, DataType.FLOAT));
    }
    return new OnnxEvaluator(TestModels.model(opset, List.of(n), ins, outs, List.of())).run(feeds);
  }

  private static Map<String, Value> feeds(Object... kv) {
    Map<String, Value> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Value) kv[i + 1]);
    }
    return m;
  }

  private static void refused(int opset, NodeProto n, Map<String, Value> feeds, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(opset, n, feeds, "y"));
    String msg = e.getMessage();
    assertTrue(msg.contains("'" + n.getName() + "'") && msg.contains(n.getOpType()), msg);
    for (String f : fragments) {
      assertTrue(msg.contains(f), "'" + f + "' not in: " + msg);
    }
  }

  @Test
  void convWithPaddingAndStrideMatchesAHandComputedResult() {
    // 1x1x3x3 input 1..9, 2x2 kernel of ones, pads 1, stride 2: sums of the corner windows
    Value x = Value.ofFloats(new long[] {1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    Value w = Value.ofFloats(new long[] {1, 1, 2, 2}, 1, 1, 1, 1);
    NodeProto n = node("Conv", List.of("x", "w"), List.of("y"), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2));
    Value y = run(17, n, feeds("x", x, "w", w), "y").get("y");
    assertArrayEquals(new long[] {1, 1, 2, 2}, y.shape());
    assertArrayEquals(new double[] {1, 2 + 3, 4 + 7, 5 + 6 + 8 + 9}, y.toDoubleArray());
  }

  @Test
  void convRefusesAWeightWhoseChannelsDoNotMatch() {
    Value x = Value.ofFloats(new long[] {1, 2, 3, 3}, new float[18]);
    Value w = Value.ofFloats(new long[] {1, 3, 2, 2}, new float[12]);
    refused(17, node("Conv", List.of("x", "w"), List.of("y")), feeds("x", x, "w", w), "2 channels", "group 1");
  }

  @Test
  void maxPoolReturnsTheMaximaAndTheirFlatIndices() {
    Value x = Value.ofFloats(new long[] {1, 1, 2, 4}, 1, 8, 3, 2, 5, 4, 7, 9);
    NodeProto n = node("MaxPool", List.of("x"), List.of("y", "i"), ints("kernel_shape", 2, 2), ints("strides", 2, 2));
    Map<String, Value> r = run(12, n, feeds("x", x), "y", "i");
    assertArrayEquals(new double[] {8, 9}, r.get("y").toDoubleArray());
    assertArrayEquals(new long[] {1, 7}, r.get("i").toLongArray());
  }

  @Test
  void resizeNearestAndLinearOnOneAxis() {
    Value x = Value.ofFloats(new long[] {1, 2}, 10, 20);
    Value scales = Value.ofFloats(new long[] {2}, 1, 2);
    NodeProto nearest = node("Resize", List.of("x", "", "s"), List.of("y"), attr("mode", "nearest"),
        attr("coordinate_transformation_mode", "asymmetric"));
    assertArrayEquals(new double[] {10, 10, 20, 20},
        run(13, nearest, feeds("x", x, "s", scales), "y").get("y").toDoubleArray());
    NodeProto linear = node("Resize", List.of("x", "", "s"), List.of("y"), attr("mode", "linear"),
        attr("coordinate_transformation_mode", "align_corners"));
    assertArrayEquals(new double[] {10, 10 + 10 / 3.0, 10 + 20 / 3.0, 20},
        run(13, linear, feeds("x", x, "s", scales), "y").get("y").toDoubleArray(), 1e-12);
  }

  @Test
  void resizeRefusesNeitherScalesNorSizes() {
    Value x = Value.ofFloats(new long[] {1, 2}, 10, 20);
    refused(13, node("Resize", List.of("x"), List.of("y")), feeds("x", x), "scales and sizes");
  }

  @Test
  void gatherElementsRefusesAnIndexOutOfRange() {
    Value x = Value.ofFloats(new long[] {2, 2}, 1, 2, 3, 4);
    Value idx = Value.ofInt64(new long[] {2, 1}, 0, 2);
    refused(13, node("GatherElements", List.of("x", "i"), List.of("y"), attr("axis", 1L)), feeds("x", x, "i", idx),
        "index 2 is out of range");
  }

  @Test
  void padReflectsAndRefusesPadsOfTheWrongLength() {
    Value x = Value.ofFloats(new long[] {3}, 1, 2, 3);
    Value pads = Value.ofInt64(new long[] {2}, 2, 1);
    NodeProto n = node("Pad", List.of("x", "p"), List.of("y"), attr("mode", "reflect"));
    assertArrayEquals(new double[] {3, 2, 1, 2, 3, 2}, run(13, n, feeds("x", x, "p", pads), "y").get("y")
        .toDoubleArray());
    refused(13, n, feeds("x", x, "p", Value.ofInt64(new long[] {1}, 1)), "pads must hold 2 values");
  }

  @Test
  void negativeLogLikelihoodTakesTheWeightedMeanAndRefusesATargetOutOfRange() {
    Value logp = Value.ofFloats(new long[] {2, 3}, -1, -2, -3, -4, -5, -6);
    Value target = Value.ofInt64(new long[] {2}, 2, 0);
    Value weight = Value.ofFloats(new long[] {3}, 1, 1, 3);
    NodeProto n = node("NegativeLogLikelihoodLoss", List.of("x", "t", "w"), List.of("y"));
    Value y = run(13, n, feeds("x", logp, "t", target, "w", weight), "y").get("y");
    assertEquals((3 * 3 + 4) / 4.0, y.getDouble(0), 1e-12);
    refused(13, n, feeds("x", logp, "t", Value.ofInt64(new long[] {2}, 3, 0), "w", weight), "target 3 is out of range");
  }

  @Test
  void sequenceAtRefusesAPositionOutOfRange() {
    Value x = Value.ofFloats(new long[] {2}, 1, 2);
    NodeProto construct = node("SequenceConstruct", List.of("x"), List.of("s"));
    NodeProto at = node("SequenceAt", List.of("s", "p"), List.of("y")).toBuilder().setName("at").build();
    List<ValueInfoProto> ins = List.of(info("x", DataType.FLOAT, 2), info("p", DataType.INT64));
    OnnxEvaluator ev = new OnnxEvaluator(TestModels.model(17, List.of(construct, at), ins,
        List.of(out("y", DataType.FLOAT)), List.of()));
    assertEquals(x, ev.run(Map.of("x", x, "p", Value.ofInt64(new long[0], -1))).get("y"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ev.run(Map.of("x", x, "p", Value.ofInt64(new long[0], 1))));
    assertTrue(e.getMessage().contains("'at'") && e.getMessage().contains("position 1 is out of range"),
        e.getMessage());
  }

  @Test
  void stringNormalizerRemovesStopwordsIgnoringCaseAndChangesCase() {
    Value x = Value.ofStrings(new long[] {3}, "Monday", "tuesday", "MONDAY");
    NodeProto n = node("StringNormalizer", List.of("x"), List.of("y"), attr("case_change_action", "UPPER"),
        TestModels.strings("stopwords", "monday"));
    List<ValueInfoProto> ins = List.of(info("x", DataType.STRING, 3));
    Value y = new OnnxEvaluator(TestModels.model(10, List.of(n), ins, List.of(out("y", DataType.STRING)),
        List.of())).run(Map.of("x", x)).get("y");
    assertEquals(Value.ofStrings(new long[] {1}, "TUESDAY"), y);
  }

  @Test
  void anOutputOverTheElementBudgetIsRefusedBeforeItIsAllocated() {
    Value x = Value.ofFloats(new long[] {1, 2}, 1, 2);
    Value reps = Value.ofInt64(new long[] {2}, 1L << 20, 1L << 20);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        run(13, node("Tile", List.of("x", "r"), List.of("y")), feeds("x", x, "r", reps), "y"));
    assertTrue(e.getCause() instanceof dev.rnnx.spec.BudgetException, String.valueOf(e.getCause()));
    assertTrue(e.getMessage().contains("tile0") && e.getMessage().contains("rnnx.budget.onnx-eval-elements"),
        e.getMessage());
  }
}
