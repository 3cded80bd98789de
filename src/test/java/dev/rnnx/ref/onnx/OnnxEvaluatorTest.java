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

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxEvaluatorTest {

  static final Value X = Value.ofFloats(new long[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f);

  static ModelProto oneOp(int opset, NodeProto n) {
    return TestModels.model(opset, List.of(n), List.of(info("x", DataType.FLOAT, 2, 3)),
        List.of(out("y", DataType.FLOAT)), List.of());
  }

  @Test
  void unsupportedOpNamesTheOpAndTheNode() {
    NodeProto n = node("Col2Im", List.of("x"), List.of("y")).toBuilder().setName("the_col2im").build();
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> new OnnxEvaluator(oneOp(17, n)));
    assertTrue(e.getMessage().contains("'Col2Im'") && e.getMessage().contains("'the_col2im'"), e.getMessage());
  }

  @Test
  void otherDomainsAndTooOldOpsetsAreUnsupported() {
    NodeProto custom = node("Relu", List.of("x"), List.of("y")).toBuilder().setDomain("com.microsoft").build();
    UnsupportedOperationException e1 = assertThrows(UnsupportedOperationException.class,
        () -> new OnnxEvaluator(oneOp(17, custom)));
    assertTrue(e1.getMessage().contains("com.microsoft"), e1.getMessage());
    NodeProto ln = node("LayerNormalization", List.of("x", "x"), List.of("y"));
    UnsupportedOperationException e2 = assertThrows(UnsupportedOperationException.class,
        () -> new OnnxEvaluator(oneOp(13, ln)));
    assertTrue(e2.getMessage().contains("opset 13"), e2.getMessage());
  }

  @Test
  void inputsAreCheckedByNameTypeAndShape() {
    OnnxEvaluator ev = new OnnxEvaluator(oneOp(17, node("Relu", List.of("x"), List.of("y"))));
    assertEquals(List.of("x"), ev.inputNames());
    assertEquals(List.of("y"), ev.outputNames());
    assertEquals(17, ev.opset());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ev.run(Map.of()));
    assertTrue(missing.getMessage().contains("missing input x"), missing.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ev.run(Map.of("x", X, "z", X)));
    assertTrue(unknown.getMessage().contains("Unknown input name z, expected one of [x]"), unknown.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> ev.run(Map.of("x", Value.ofInt64(new long[] {2, 3}, 1, 2, 3, 4, 5, 6))));
    assertTrue(type.getMessage().contains("INT64"), type.getMessage());
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> ev.run(Map.of("x", Value.ofFloats(new long[] {3, 2}, 1f, 2f, 3f, 4f, 5f, 6f))));
    assertTrue(shape.getMessage().contains("dimension 0 = 2"), shape.getMessage());
  }

  @Test
  void kernelErrorsNameTheNode() {
    ModelProto m = TestModels.model(17, List.of(node("Add", List.of("x", "b"), List.of("y"))),
        List.of(info("x", DataType.FLOAT, 2, 3), info("b", DataType.FLOAT, (long[]) null)),
        List.of(out("y", DataType.FLOAT)), List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OnnxEvaluator(m).run(Map.of("x", X, "b", Value.ofFloats(new long[] {2}, 1f, 2f))));
    assertTrue(e.getMessage().startsWith("node 'add0' (Add, opset 17)") && e.getMessage().contains("broadcast"),
        e.getMessage());
  }

  @Test
  void nodesRunInTopologicalOrderWhateverTheirListedOrder() {
    List<NodeProto> nodes = List.of(
        node("Mul", List.of("t", "t"), List.of("y")).toBuilder().setName("second").build(),
        node("Add", List.of("x", "x"), List.of("t")).toBuilder().setName("first").build());
    ModelProto m = TestModels.model(17, nodes, List.of(info("x", DataType.FLOAT, 2, 3)),
        List.of(out("y", DataType.FLOAT)), List.of());
    Value y = new OnnxEvaluator(m).run(Map.of("x", X)).get("y");
    assertArrayEquals(new double[] {4, 16, 36, 64, 100, 144}, y.toDoubleArray());
  }

  @Test
  void cyclesAndDanglingInputsAreRejected() {
    List<NodeProto> cycle = List.of(node("Add", List.of("x", "b"), List.of("a")).toBuilder().setName("n1").build(),
        node("Relu", List.of("a"), List.of("b")).toBuilder().setName("n2").build());
    IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
        () -> new OnnxEvaluator(TestModels.model(17, cycle, List.of(info("x", DataType.FLOAT, 2, 3)),
            List.of(out("b", DataType.FLOAT)), List.of())));
    assertTrue(e1.getMessage().contains("cycle"), e1.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> new OnnxEvaluator(oneOp(17, node("Add", List.of("x", "nowhere"), List.of("y")))));
    assertTrue(e2.getMessage().contains("'nowhere'") && e2.getMessage().contains("add0"), e2.getMessage());
  }

  @Test
  void initializersAreConstantsOrOverridableDefaults() {
    Value two = Value.ofFloats(new long[0], 2f);
    ModelProto m = TestModels.model(17, List.of(node("Mul", List.of("x", "k"), List.of("y"))),
        List.of(info("x", DataType.FLOAT, 2, 3), info("k", DataType.FLOAT)), List.of(out("y", DataType.FLOAT)),
        List.of(TensorProtos.encode(two, "k")));
    OnnxEvaluator ev = new OnnxEvaluator(m);
    assertEquals(List.of("x"), ev.inputNames());
    assertEquals(two, ev.initializers().get("k"));
    assertEquals(12.0, ev.run(Map.of("x", X)).get("y").getDouble(5));
    assertEquals(18.0, ev.run(Map.of("x", X, "k", Value.ofFloats(new long[0], 3f))).get("y").getDouble(5));
    // an initializer that is not a graph input is a constant
    ModelProto constant = m.toBuilder().setGraph(m.getGraph().toBuilder().removeInput(1)).build();
    assertThrows(IllegalArgumentException.class,
        () -> new OnnxEvaluator(constant).run(Map.of("x", X, "k", Value.ofFloats(new long[0], 3f))));
  }

  @Test
  void loadsModelFiles(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("m.onnx");
    Files.write(file, oneOp(17, node("Relu", List.of("x"), List.of("y"))).toByteArray());
    assertEquals(X, OnnxEvaluator.load(file).run(Map.of("x", X)).get("y"));
    Path bad = tmp.resolve("bad.onnx");
    Files.write(bad, new byte[] {(byte) 0xFF, 1, 2});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxEvaluator.load(bad));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
  }

  @Test
  void supportedOpsCoverWhatRnnxEmits() {
    for (String op : List.of("LSTM", "GRU", "RNN", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Gather", "Softmax",
        "LogSoftmax", "Sigmoid", "Tanh", "Relu", "Concat", "Transpose", "Squeeze", "Unsqueeze", "Identity", "Reshape",
        "Shape", "Slice", "ReduceMean", "Sqrt", "Pow", "Where", "Equal", "Cast", "LayerNormalization", "Constant",
        "ReduceSum", "TopK")) {
      assertTrue(OnnxEvaluator.supportedOps().containsKey(op), op);
    }
  }

  // ---- semantics that changed with the opset ------------------------------------------------------

  static final Value X3 = Value.ofFloats(new long[] {2, 2, 2}, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f);

  static Value runOn(int opset, NodeProto n, Value x, List<ai.onnx.proto.OnnxMl.TensorProto> inits) {
    ModelProto m = TestModels.model(opset, List.of(n), List.of(info("x", x.type(), x.shape())),
        List.of(out("y", x.type())), inits);
    return new OnnxEvaluator(m).run(Map.of("x", x)).get("y");
  }

  @Test
  void softmaxBefore13NormalisesTheFlattenedTail() {
    NodeProto n = node("Softmax", List.of("x"), List.of("y"), attr("axis", 1));
    Value old = runOn(11, n, X3, List.of());
    Value now = runOn(13, n, X3, List.of());
    double oldSum = 0;
    for (int i = 0; i < 4; i++) {
      oldSum += old.getDouble(i); // the first row of the [2, 4] coercion
    }
    assertEquals(1.0, oldSum, 1e-12);
    assertEquals(1.0, now.getDouble(0) + now.getDouble(2), 1e-12); // along axis 1 only
    assertTrue(Math.abs(old.getDouble(0) - now.getDouble(0)) > 1e-3);
  }

  @Test
  void squeezeAndUnsqueezeAxesMovedFromAttributeToInput() {
    Value viaAttr = runOn(11, node("Unsqueeze", List.of("x"), List.of("y"), ints("axes", 0, -1)), X3, List.of());
    Value viaInput = runOn(13, node("Unsqueeze", List.of("x", "axes"), List.of("y")), X3,
        List.of(TensorProtos.encode(Value.ofInt64(new long[] {2}, 0, -1), "axes")));
    assertArrayEquals(new long[] {1, 2, 2, 2, 1}, viaAttr.shape());
    assertEquals(viaAttr, viaInput);
    Value one = Value.ofFloats(new long[] {1, 3, 1}, 1f, 2f, 3f);
    assertArrayEquals(new long[] {3}, runOn(11, node("Squeeze", List.of("x"), List.of("y")), one, List.of()).shape());
    assertArrayEquals(new long[] {3, 1}, runOn(13, node("Squeeze", List.of("x", "axes"), List.of("y")), one,
        List.of(TensorProtos.encode(Value.ofInt64(new long[] {1}, 0), "axes"))).shape());
  }

  @Test
  void reduceMeanAxesMovedToAnInputAt18() {
    Value viaAttr = runOn(17, node("ReduceMean", List.of("x"), List.of("y"), ints("axes", 1), attr("keepdims", 0)), X3,
        List.of());
    Value viaInput = runOn(18, node("ReduceMean", List.of("x", "axes"), List.of("y"), attr("keepdims", 0)), X3,
        List.of(TensorProtos.encode(Value.ofInt64(new long[] {1}, 1), "axes")));
    assertArrayEquals(new double[] {2, 3, 6, 7}, viaAttr.toDoubleArray());
    assertEquals(viaAttr, viaInput);
  }

  @Test
  void integerArithmeticWrapsAndTruncates() {
    Value a = Value.ofLongs(DataType.INT32, new long[] {3}, new long[] {-7, 7, Integer.MAX_VALUE});
    ModelProto m = TestModels.model(17, List.of(node("Div", List.of("a", "b"), List.of("q")),
        node("Add", List.of("a", "b"), List.of("s")).toBuilder().setName("add").build()),
        List.of(info("a", DataType.INT32, 3), info("b", DataType.INT32, 3)),
        List.of(out("q", DataType.INT32), out("s", DataType.INT32)), List.of());
    Map<String, Value> r = new OnnxEvaluator(m).run(Map.of("a", a,
        "b", Value.ofLongs(DataType.INT32, new long[] {3}, new long[] {2, -2, 1})));
    assertArrayEquals(new long[] {-3, -3, Integer.MAX_VALUE}, r.get("q").toLongArray());
    assertArrayEquals(new long[] {-5, 5, Integer.MIN_VALUE}, r.get("s").toLongArray());
  }

  @Test
  void castRoundsToTheTargetPrecision() {
    Value x = Value.ofDoubles(DataType.DOUBLE, new long[] {4}, new double[] {0.1, -2.7, 70000, Double.NaN});
    ModelProto m = TestModels.model(17, List.of(
        node("Cast", List.of("x"), List.of("f"), attr("to", DataType.FLOAT.onnxCode())),
        node("Cast", List.of("x"), List.of("h"), attr("to", DataType.FLOAT16.onnxCode())).toBuilder().setName("h")
            .build(),
        node("Cast", List.of("x"), List.of("i"), attr("to", DataType.INT32.onnxCode())).toBuilder().setName("i")
            .build()),
        List.of(info("x", DataType.DOUBLE, 4)),
        List.of(out("f", DataType.FLOAT), out("h", DataType.FLOAT16), out("i", DataType.INT32)), List.of());
    Map<String, Value> r = new OnnxEvaluator(m).run(Map.of("x", x));
    assertEquals((double) 0.1f, r.get("f").getDouble(0));
    assertEquals(Double.POSITIVE_INFINITY, r.get("h").getDouble(2));
    assertEquals(0.0999755859375, r.get("h").getDouble(0));
    assertArrayEquals(new long[] {0, -2, 70000, 0}, r.get("i").toLongArray());
  }
}
