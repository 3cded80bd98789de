package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime session options: validated, handed to DJL's engine, and without effect on results. */
class OrtOptionsTest {

  @TempDir Path tmp;

  @Test
  void optionsAreValidatedWithTheValueGiven() {
    assertEquals("ALL_OPT", new OrtOptions(1, 1, false, null).optLevel());
    assertEquals("BASIC_OPT", OrtOptions.DEFAULTS.withOptLevel("basic_opt").optLevel());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrtOptions.DEFAULTS.withIntraOpThreads(-1));
    assertTrue(e.getMessage().contains("intra-op threads is -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OrtOptions.DEFAULTS.withOptLevel("FAST"));
    assertTrue(e.getMessage().contains("[NO_OPT, BASIC_OPT, EXTENDED_OPT, ALL_OPT]"), e.getMessage());
  }

  @Test
  void everyOptionSetServesTheSameOutputs() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm");
    Map<String, Tensor> in = Map.of("input", FloatTensor.of(new float[] {0.1f, -0.4f, 0.9f, 0.3f}, 1, 4, 1));
    float[] expected = null;
    for (OrtOptions o : new OrtOptions[] {OrtOptions.DEFAULTS, OrtOptions.ENGINE_DEFAULTS,
        OrtOptions.DEFAULTS.withIntraOpThreads(2).withSpinning(true), OrtOptions.DEFAULTS.withOptLevel("NO_OPT")}) {
      try (RnnxModel model = RnnxModel.builder(run).optOrtOptions(o).optPoolSize(1).build()) {
        float[] out = model.tensors().predict(in).get("output").data();
        if (expected == null) {
          expected = out;
        }
        assertArrayEquals(expected, out, 1e-6f, o.toString());
      }
    }
  }
}
