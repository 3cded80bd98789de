package dev.rnnx.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutants the fuzzers found, each replayed through {@code rnnx predict} in this JVM once fixed. */
class FuzzRegressionTest {

  @TempDir static Path dir;

  private static String predict(String golden, UnaryOperator<OnnxMl.GraphProto.Builder> mutation) throws IOException {
    OnnxMl.ModelProto m = OnnxModels.read(Path.of("models/golden", golden, "model.onnx"));
    Path file = dir.resolve(golden + ".onnx");
    Files.write(file, m.toBuilder().setGraph(mutation.apply(m.getGraph().toBuilder())).build().toByteArray());
    Path in = dir.resolve("in.json");
    Files.writeString(in, "{\"input\": {\"shape\": [1, 5, 1], \"dtype\": \"float32\", \"data\": [0.1, 0.2, 0.3, 0.4, 0.5]}}");
    return FuzzWorker.runOne(new String[] {"predict", file.toString(), "--input", in.toString()}, null, null, null)
        .replace(file.toString(), "M");
  }

  private static OnnxMl.GraphProto.Builder dropLastInput(OnnxMl.GraphProto.Builder g, String node) {
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getName().equals(node)) {
        OnnxMl.NodeProto.Builder n = g.getNodeBuilder(i);
        List<String> kept = new ArrayList<>(n.getInputList().subList(0, n.getInputCount() - 1));
        n.clearInput().addAllInput(kept);
      }
    }
    return g;
  }

  /** Slice #323: ONNX Runtime's optimiser aborted the process (SIGABRT) on a Squeeze without axes. */
  @Test
  void squeezeWithoutAxesIsRefusedBeforeOnnxRuntimeAbortsOnIt() throws IOException {
    assertEquals("2 plain - rnnx: M: node 'gru/squeeze_Y' (Squeeze): expected explicit axes: without them the output rank"
        + " depends on the input's sizes, and the input is [?, 1, ?, 16]", predict("gru-sine", g -> dropLastInput(g, "gru/squeeze_Y")));
  }

  /** Slice #25: a kernel's own check failing at run time was exit 3 with a stack trace. */
  @Test
  void onnxRuntimeRefusingToRunAModelIsExit2InOneLine() throws IOException {
    String r = predict("sine-lstm", g -> {
      for (int i = 0; i < g.getInitializerCount(); i++) {
        if (g.getInitializer(i).getName().endsWith("squeeze_Y_h/axes")) {
          g.getInitializerBuilder(i).clearDims();
        }
      }
      return g;
    });
    assertTrue(r.startsWith("2 plain - rnnx: M: ONNX Runtime refused to run this model (") && r.contains("Squeeze"), r);
  }
}
