package dev.rnnx.ref.onnx;

import static dev.rnnx.ref.onnx.TestModels.attr;
import static dev.rnnx.ref.onnx.TestModels.info;
import static dev.rnnx.ref.onnx.TestModels.node;
import static dev.rnnx.ref.onnx.TestModels.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Loop} with a body that reads the enclosing graph (an outer value and an outer
 * initializer), carries a value, emits a scan output and may stop early by its condition; and
 * {@code ArgMax}'s tie rule; both against hand-computed values and ONNX Runtime.
 */
class LoopOpTest {

  /**
   * {@code acc_{i+1} = acc_i · w + x} (w an outer initializer, x an outer input), scan output
   * {@code acc_{i+1} + i}, continuing while {@code sum(acc) < limit}.
   */
  static ModelProto accumulate() {
    NodeProto[] body = {
        node("Mul", List.of("acc_in", "w"), List.of("scaled")),
        NodeProto.newBuilder().setOpType("Add").setName("add1").addInput("scaled").addInput("x").addOutput("acc_out").build(),
        NodeProto.newBuilder().setOpType("Cast").setName("cast_i").addInput("i").addOutput("i_float")
            .addAttribute(attr("to", (long) DataType.FLOAT.onnxCode())).build(),
        NodeProto.newBuilder().setOpType("Add").setName("add2").addInput("acc_out").addInput("i_float").addOutput("scan").build(),
        NodeProto.newBuilder().setOpType("ReduceSum").setName("sum").addInput("acc_out").addOutput("total")
            .addAttribute(attr("keepdims", 0L)).build(),
        NodeProto.newBuilder().setOpType("Less").setName("less").addInput("total").addInput("limit").addOutput("cond_out").build()};
    GraphProto g = GraphProto.newBuilder().setName("body")
        .addInput(info("i", DataType.INT64)).addInput(info("cond_in", DataType.BOOL)).addInput(info("acc_in", DataType.FLOAT, 2))
        .addAllNode(List.of(body))
        .addOutput(info("cond_out", DataType.BOOL)).addOutput(info("acc_out", DataType.FLOAT, 2))
        .addOutput(info("scan", DataType.FLOAT, 2)).build();
    AttributeProto bodyAttr = AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH)
        .setG(g).build();
    NodeProto loop = NodeProto.newBuilder().setOpType("Loop").setName("loop").addInput("m").addInput("c").addInput("acc0")
        .addOutput("acc_final").addOutput("scans").addAttribute(bodyAttr).build();
    List<TensorProto> inits = List.of(
        TensorProtos.encode(Value.ofFloats(new long[0], 2f), "w"),
        TensorProtos.encode(Value.ofFloats(new long[0], 100f), "limit"));
    return TestModels.model(16, List.of(loop),
        List.of(info("m", DataType.INT64), info("c", DataType.BOOL), info("acc0", DataType.FLOAT, 2), info("x", DataType.FLOAT, 2)),
        List.of(out("acc_final", DataType.FLOAT), out("scans", DataType.FLOAT)), inits);
  }

  static Map<String, Value> feeds(long m, boolean c) {
    Map<String, Value> f = new LinkedHashMap<>();
    f.put("m", Value.ofInt64(new long[0], m));
    f.put("c", Value.ofLongs(DataType.BOOL, new long[0], new long[] {c ? 1 : 0}));
    f.put("acc0", Value.ofFloats(new long[] {2}, 1f, 0f));
    f.put("x", Value.ofFloats(new long[] {2}, 1f, 2f));
    return f;
  }

  @Test
  void runsTheTripCountReadingTheEnclosingGraph() throws OrtException {
    Map<String, Value> r = OrtParityTest.assertParity(accumulate(), feeds(3, true));
    // acc: (1,0) → (3,2) → (7,6) → (15,14); scan adds the iteration number
    assertArrayEquals(new double[] {15, 14}, r.get("acc_final").toDoubleArray());
    assertArrayEquals(new long[] {3, 2}, r.get("scans").shape());
    assertArrayEquals(new double[] {3, 2, 8, 7, 17, 16}, r.get("scans").toDoubleArray());
  }

  @Test
  void stopsWhenTheBodysConditionFails() throws OrtException {
    // sums: 5, 13, 29, 61, 125 → the fifth iteration returns false and is the last
    Map<String, Value> r = OrtParityTest.assertParity(accumulate(), feeds(50, true));
    assertArrayEquals(new long[] {5, 2}, r.get("scans").shape());
    assertArrayEquals(new double[] {63, 62}, r.get("acc_final").toDoubleArray());
  }

  @Test
  void zeroIterationsReturnTheInitialValuesAndAnEmptyScan() throws OrtException {
    Map<String, Value> r = new OnnxEvaluator(accumulate()).run(feeds(4, false));
    assertArrayEquals(new double[] {1, 0}, r.get("acc_final").toDoubleArray());
    assertArrayEquals(new long[] {0, 2}, r.get("scans").shape());
    assertEquals(0, OrtParityTest.ort(accumulate(), feeds(0, true)).get("scans").size());
  }

  @Test
  void aLoopThatCouldNeverEndIsRefused() {
    ModelProto m = accumulate();
    NodeProto loop = m.getGraph().getNode(0).toBuilder().setInput(0, "").setInput(1, "").build();
    ModelProto endless = m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(0, loop)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxEvaluator(endless)
        .run(feeds(1, true)));
    assertTrue(e.getMessage().contains("would never end"), e.getMessage());
  }

  @Test
  void aBodyReadingAnUnknownNameIsRefusedWhenPrepared() {
    ModelProto m = accumulate();
    GraphProto body = m.getGraph().getNode(0).getAttribute(0).getG();
    GraphProto broken = body.toBuilder().setNode(0, body.getNode(0).toBuilder().setInput(1, "nowhere")).build();
    NodeProto loop = m.getGraph().getNode(0).toBuilder()
        .setAttribute(0, m.getGraph().getNode(0).getAttribute(0).toBuilder().setG(broken)).build();
    ModelProto bad = m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(0, loop)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxEvaluator(bad));
    assertTrue(e.getMessage().startsWith("value 'nowhere', read by a subgraph of node 'loop' (Loop), is produced by no node"), e.getMessage());
  }

  @Test
  void argMaxTiesGoToTheFirstIndexUnlessTheLastIsAskedFor() throws OrtException {
    Value x = Value.ofFloats(new long[] {2, 4}, 1f, 3f, 3f, 0f, 2f, 2f, 2f, 2f);
    List<Value> results = new ArrayList<>();
    for (long last : new long[] {0, 1}) {
      ModelProto m = TestModels.model(13, List.of(node("ArgMax", List.of("x"), List.of("y"), attr("axis", 1L),
          attr("keepdims", 0L), attr("select_last_index", last))), List.of(info("x", DataType.FLOAT, 2, 4)),
          List.of(out("y", DataType.INT64)), List.of());
      results.add(OrtParityTest.assertParity(m, Map.of("x", x)).get("y"));
    }
    assertArrayEquals(new long[] {1, 0}, results.get(0).toLongArray());
    assertArrayEquals(new long[] {2, 3}, results.get(1).toLongArray());
  }
}
