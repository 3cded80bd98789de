package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Shape;
import org.junit.jupiter.api.Test;

/** The real ONNX checker accepts a valid model and rejects broken ones with its own message. */
class OnnxCheckerTest {

  @Test
  void acceptsAValidModel() {
    assertDoesNotThrow(() -> OnnxChecker.check(TinyModels.relu().build()));
  }

  @Test
  void rejectsANodeReadingAMissingTensor() {
    OnnxMl.ModelProto.Builder m = TinyModels.relu();
    m.getGraphBuilder().getNodeBuilder(0).setInput(0, "missing");
    OnnxCheckException e = assertThrows(OnnxCheckException.class, () -> OnnxChecker.check(m.build()));
    System.out.println("checker: " + e.checkerMessage());
    assertTrue(e.checkerMessage().contains("input 'missing' of node"), e.checkerMessage());
    assertTrue(e.checkerMessage().contains("is not output of any previous nodes"), e.checkerMessage());
    assertEquals("ONNX checker rejected the model: " + e.checkerMessage(), e.getMessage());
  }

  @Test
  void rejectsAnUnknownOp() {
    OnnxMl.ModelProto.Builder m = TinyModels.relu();
    m.getGraphBuilder().getNodeBuilder(0).setOpType("Relux");
    OnnxCheckException e = assertThrows(OnnxCheckException.class, () -> OnnxChecker.check(m.build()));
    System.out.println("checker: " + e.checkerMessage());
    assertTrue(e.checkerMessage().contains("Relux"), e.checkerMessage());
  }

  @Test
  void strictShapeInferenceRejectsADeclaredShapeThatDisagrees() {
    OnnxMl.ModelProto.Builder m = TinyModels.relu();
    m.getGraphBuilder().setOutput(0, ValueInfos.valueInfo("y", Shape.of(Shape.DYNAMIC, 4)));
    OnnxCheckException e = assertThrows(OnnxCheckException.class, () -> OnnxChecker.check(m.build()));
    System.out.println("checker: " + e.checkerMessage());
    assertTrue(e.checkerMessage().contains("(3) vs (4)"), e.checkerMessage());
  }

  @Test
  void strictShapeInferenceRejectsABadAttribute() {
    OnnxMl.ModelProto.Builder m = TinyModels.relu();
    m.getGraphBuilder().getNodeBuilder(0).setOpType("Transpose").addAttribute(Attributes.ints("perm", 0, 0));
    OnnxCheckException e = assertThrows(OnnxCheckException.class, () -> OnnxChecker.check(m.build()));
    System.out.println("checker: " + e.checkerMessage());
    assertTrue(e.checkerMessage().contains("perm"), e.checkerMessage());
  }

  /**
   * Quirk pinned: ONNX 1.17's checker does not tie the IR version to the opset (IR 3 with opset
   * 17 passes), so {@link OpsetTable} is what keeps exports on the official table.
   */
  @Test
  void checkerDoesNotTieTheIrVersionToTheOpset() {
    assertDoesNotThrow(() -> OnnxChecker.check(TinyModels.relu().setIrVersion(3).build()));
  }

  @Test
  void exporterRefusesToWriteAModelTheCheckerRejects(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    OnnxMl.ModelProto.Builder m = TinyModels.relu();
    m.getGraphBuilder().getNodeBuilder(0).setInput(0, "missing");
    java.nio.file.Path file = dir.resolve("broken.onnx");
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExporter.write(m.build(), file));
    assertTrue(e.getMessage().startsWith(file + ": refusing to write a model that fails the ONNX checker: Nodes in a graph"),
        e.getMessage());
    assertTrue(e.getCause() instanceof OnnxCheckException);
    assertEquals(0, dir.toFile().list().length, "nothing written");
  }
}
