package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.KernelAssumptionException;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.verify.BackendKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way {@code djl} opens ONNX Runtime refuses a model that breaks a kernel assumption in Java,
 * before a session exists: the refusal is the validator's, with no ONNX Runtime or DJL frame on its
 * stack.
 */
class ValidationBeforeOrtTest {

  @TempDir Path dir;

  /** The golden sine-lstm model with its LSTM's R of the wrong hidden size. */
  private Path bad() throws IOException {
    OnnxMl.ModelProto m = OnnxModels.read(Path.of("models/golden/sine-lstm/model.onnx"));
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    String r = null;
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("LSTM")) {
        r = n.getInput(2);
      }
    }
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(r)) {
        OnnxMl.TensorProto t = g.getInitializer(i);
        g.setInitializer(i, t.toBuilder().setDims(2, t.getDims(2) - 1)
            .setRawData(t.getRawData().substring(0, (int) (t.getDims(0) * t.getDims(1) * (t.getDims(2) - 1) * 4))));
      }
    }
    Path file = dir.resolve("bad.onnx");
    Files.write(file, m.toBuilder().setGraph(g).build().toByteArray());
    return file;
  }

  private static void fromJava(Throwable e) {
    assertFalse(List.of(e.getStackTrace()).stream().anyMatch(f -> f.getClassName().startsWith("ai.onnxruntime")
        || f.getClassName().startsWith("ai.djl")), "refused before any native runtime");
  }

  @Test
  void rnnxModelOrtBackendAndDjlBackendRefuseInJava() throws IOException {
    Path bad = bad();
    String expected = bad + ": node 'lstm/LSTM' (LSTM) input 2 'lstm/R' (R): expected shape [num_directions=1,"
        + " 4·hidden_size=80, hidden_size=20], got [1, 80, 19]";
    KernelAssumptionException e = assertThrows(KernelAssumptionException.class, () -> RnnxModel.load(bad));
    assertEquals(expected, e.getMessage());
    fromJava(e);
    e = assertThrows(KernelAssumptionException.class, () -> new OrtBackend(bad, BackendKind.ORT));
    assertEquals(expected, e.getMessage());
    fromJava(e);
    e = assertThrows(KernelAssumptionException.class, () -> DjlBackend.onnx(bad, null, BackendKind.DJL_ORT));
    assertEquals(expected, e.getMessage());
    fromJava(e);
    e = assertThrows(KernelAssumptionException.class, () -> RnnxModel.builder(bad).buildIsolated());
    assertEquals(expected, e.getMessage());
  }
}
