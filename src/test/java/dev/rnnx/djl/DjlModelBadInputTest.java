package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files and bad inputs on the ONNX path fail with clear exceptions, never in native code. */
class DjlModelBadInputTest {

  @TempDir Path tmp;

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }
  }

  @Test
  void missingFile() {
    Path missing = tmp.resolve("missing.onnx");
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> DjlModel.loadOnnx(missing)),
        missing.toString(), "does not exist", ".onnx");
  }

  @Test
  void aFolderIsNotAnOnnxFile() {
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> DjlModel.loadOnnx(tmp)), tmp.toString(), "not a regular file");
  }

  @Test
  void aTextFileIsNotAnOnnxModel() throws Exception {
    Path text = Files.writeString(tmp.resolve("notes.onnx"), "hello, this is a text file and not a model\n");
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> DjlModel.loadOnnx(text)), text.toString(), "not an ONNX model");
  }

  @Test
  void anEmptyFileIsNotAnOnnxModel() throws Exception {
    Path empty = Files.write(tmp.resolve("empty.onnx"), new byte[0]);
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> DjlModel.loadOnnx(empty)), empty.toString(), "not an ONNX model");
  }

  @Test
  void randomBytesAreNotAnOnnxModel() throws Exception {
    // random bytes that happen to parse as a protobuf with a graph would reach ONNX Runtime: it must fail cleanly too
    byte[] junk = new byte[4096];
    new java.util.Random(3).nextBytes(junk);
    Path file = Files.write(tmp.resolve("junk.onnx"), junk);
    assertMentions(assertThrows(IllegalArgumentException.class, () -> DjlModel.loadOnnx(file)), file.toString());
  }

  @Test
  void aModelOnnxRuntimeRejectsIsAnIllegalArgument() throws Exception {
    // a well-formed ModelProto with an operator that does not exist: only ONNX Runtime can tell
    Path good = TinyOnnx.write(tmp.resolve("good.onnx"), false);
    ai.onnx.proto.OnnxMl.ModelProto m = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(good));
    ai.onnx.proto.OnnxMl.ModelProto.Builder b = m.toBuilder();
    b.getGraphBuilder().getNodeBuilder(2).setOpType("NoSuchOp");
    Path bad = Files.write(tmp.resolve("bad-op.onnx"), b.build().toByteArray());
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> DjlModel.loadOnnx(bad)), bad.toString(), "ONNX Runtime");
  }

  @Test
  void wrongNamesRanksAndNonFiniteValuesAreRejectedBeforeTheEngineRuns() throws Exception {
    try (DjlModel m = DjlModel.loadOnnx(TinyOnnx.write(tmp.resolve("tiny.onnx"), false))) {
      FloatTensor ok = TinyMath.input(2, 3, 1);
      assertMentions(
          assertThrows(IllegalArgumentException.class, () -> m.run(Map.of("inputs", ok))), "'inputs'", "[input]");
      assertMentions(assertThrows(IllegalArgumentException.class, () -> m.run(Map.of())), "request: input 'input' is missing, expected inputs [input]");
      Map<String, FloatTensor> extra = new HashMap<>();
      extra.put("input", ok);
      extra.put("lengths", FloatTensor.zeros(2));
      assertMentions(
          assertThrows(IllegalArgumentException.class, () -> m.run(extra)), "unknown input 'lengths'", "[input]");
      assertMentions(
          assertThrows(IllegalArgumentException.class, () -> m.run(Map.of("input", FloatTensor.zeros(6, 3)))),
          "request: input 'input' must be float32 [batch, time, 3], got float32 [6, 3]");
      assertMentions(
          assertThrows(IllegalArgumentException.class, () -> m.run(Map.of("input", FloatTensor.zeros(2, 3, 5)))),
          "request: input 'input' must be float32 [batch, time, 3], got float32 [2, 3, 5]");
      FloatTensor nan = TinyMath.input(2, 3, 1);
      nan.data()[7] = Float.NaN;
      assertMentions(
          assertThrows(IllegalArgumentException.class, () -> m.run(Map.of("input", nan))), "request: input 'input' holds NaN at [0, 2, 1], expected finite values");
      assertThrows(NullPointerException.class, () -> m.run(null));
      // still usable after rejected calls
      assertTrue(TinyMath.maxAbsDiff(TinyMath.output(ok), m.run(Map.of("input", ok)).get("output").data()) < 1e-6);
    }
  }
}
