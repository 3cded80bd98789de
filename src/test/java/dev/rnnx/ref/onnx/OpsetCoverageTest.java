package dev.rnnx.ref.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.onnx.OpsetTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference evaluator covers every op the exporter may emit (the ops listed in
 * {@code converters/opsets.yaml}), so every exported model can be checked without native code.
 */
class OpsetCoverageTest {

  @Test
  void everyEmittedOpHasAReferenceKernel() {
    List<String> missing = OpsetTable.load().ops().stream()
        .filter(op -> !OnnxEvaluator.supportedOps().containsKey(op)).toList();
    assertEquals(List.of(), missing, "ops the exporter emits but the reference evaluator lacks");
  }
}
