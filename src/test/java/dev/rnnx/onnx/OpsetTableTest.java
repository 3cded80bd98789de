package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.onnx.OpSchema;
import org.bytedeco.onnx.OpSchemaRegistry;
import org.bytedeco.onnx.global.onnx;
import org.junit.jupiter.api.Test;

/** {@code converters/opsets.yaml} against ONNX 1.17's own operator schemas and versioning table. */
class OpsetTableTest {

  private static final OpsetTable TABLE = OpsetTable.load();

  /**
   * Up to the newest opset the bundled ONNX 1.17 knows (22), every {@code since} list equals the
   * registry's; the entries of 23 (ONNX 1.18) are listed here, since no registry on the classpath
   * knows them.
   */
  @Test
  void sinceVersionsMatchTheOnnxSchemaRegistry() {
    Loader.load(onnx.class);
    int checked = TABLE.checkerMaxOpset();
    assertEquals(22, checked);
    List<String> at23 = new ArrayList<>();
    for (String op : TABLE.ops()) {
      List<Integer> actual = new ArrayList<>();
      for (int v = 1; v <= checked; v++) {
        OpSchema schema = OpSchemaRegistry.Schema(op, v, "");
        if (schema != null && !schema.isNull() && (actual.isEmpty() || actual.get(actual.size() - 1) != schema.since_version())) {
          actual.add(schema.since_version());
        }
      }
      assertEquals(actual, TABLE.sinceVersions(op).stream().filter(v -> v <= checked).toList(), op);
      if (TABLE.sinceVersions(op).contains(23)) {
        at23.add(op);
      }
    }
    assertEquals(List.of("Attention", "Cast", "Identity", "Loop", "Reshape", "Shape", "Squeeze", "Transpose", "Unsqueeze"),
        at23, "ops whose schema changed at opset 23 (ONNX 1.18: Attention new, the others gained float4e2m1)");
  }

  @Test
  void emittedOpsAreListed() {
    assertEquals(List.of("Add", "And", "ArgMax", "Attention", "Cast", "Concat", "CumSum", "Div",
        "DynamicQuantizeLinear", "Elu", "Equal", "Erf", "Expand", "GRU", "Gather", "GatherElements", "Gemm", "Greater", "HardSigmoid", "Identity",
        "LSTM", "LayerNormalization", "Less", "LogSoftmax", "Loop", "MatMul", "MatMulInteger", "Mul", "Not", "Or", "RNN", "Range", "ReduceMax", "ReduceMean", "ReduceSum", "Relu", "Reshape", "ReverseSequence", "Shape",
        "Sigmoid", "Slice", "Softmax", "Softplus", "Softsign", "Squeeze", "Sub", "Tanh", "TopK", "Transpose", "Unsqueeze", "Where"),
        TABLE.ops());
  }

  @Test
  void irVersionsFollowTheOfficialTable() {
    assertEquals(17, TABLE.defaultOpset());
    assertEquals(dev.rnnx.spec.ExportSpec.DEFAULT_OPSET, TABLE.defaultOpset(), "recipes and exporter agree");
    assertEquals(8, TABLE.irVersion(17));
    int[][] expected = {{9, 4}, {10, 5}, {11, 6}, {12, 7}, {13, 7}, {14, 7}, {15, 8}, {16, 8}, {17, 8}, {18, 8},
        {19, 9}, {20, 9}, {21, 10}, {22, 10}, {23, 11}, {7, 3}, {8, 3}};
    for (int[] e : expected) {
      assertEquals(e[1], TABLE.irVersion(e[0]), "opset " + e[0]);
    }
    // the newest opset the checker is asked about must have an IR it knows; 23's (11) it does not
    assertTrue(TABLE.irVersion(TABLE.checkerMaxOpset()) <= onnx.IR_VERSION);
    assertTrue(TABLE.irVersion(TABLE.maxOpset()) > onnx.IR_VERSION);
  }

  @Test
  void opVersionsAtAnOpset() {
    assertEquals(13, TABLE.opVersion("Squeeze", 17));
    assertEquals(11, TABLE.opVersion("Squeeze", 12));
    assertEquals(14, TABLE.opVersion("LSTM", 17));
    assertEquals(7, TABLE.opVersion("LSTM", 13));
    assertEquals(10, TABLE.opVersion("ReverseSequence", 22));
    assertEquals(13, TABLE.opVersion("Unsqueeze", 17));
    assertEquals(11, TABLE.opVersion("Softmax", 12));
    OnnxExportException reverse = assertThrows(OnnxExportException.class, () -> TABLE.opVersion("ReverseSequence", 9));
    assertEquals("op 'ReverseSequence' does not exist at opset 9, it needs opset 10 or newer", reverse.getMessage());
    assertEquals(16, TABLE.opVersion("Loop", 17));
    assertEquals(23, TABLE.opVersion("Attention", 23));
    OnnxExportException attention = assertThrows(OnnxExportException.class, () -> TABLE.opVersion("Attention", 22));
    assertEquals("op 'Attention' does not exist at opset 22, it needs opset 23 or newer", attention.getMessage());
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> TABLE.opVersion("Scan", 17));
    assertTrue(e.getMessage().startsWith("op 'Scan' is not listed in converters/opsets.yaml"), e.getMessage());
    e = assertThrows(OnnxExportException.class, () -> TABLE.opVersion("MatMul", 0));
    assertEquals("op 'MatMul' does not exist at opset 0, it needs opset 1 or newer", e.getMessage());
  }

  @Test
  void supportedRange() {
    TABLE.requireSupported(9);
    TABLE.requireSupported(23);
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> TABLE.requireSupported(24));
    assertEquals("opset 24 is not supported: the exporter supports opsets [9, 23] (converters/opsets.yaml)", e.getMessage());
  }
}
