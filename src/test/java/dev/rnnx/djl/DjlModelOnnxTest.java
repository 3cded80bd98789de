package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlModelOnnxTest {

  @TempDir Path tmp;

  @Test
  void runsOnOnnxRuntimeAndMatchesJavaMath() throws Exception {
    Path file = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    long t0 = System.nanoTime();
    try (DjlModel m = DjlModel.loadOnnx(file)) {
      System.out.printf("djl-ort load: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
      assertEquals("OnnxRuntime", m.engineName());
      assertEquals(List.of("input"), m.inputNames());
      assertEquals(List.of("output", "state_h"), m.outputNames());
      for (int[] bt : new int[][] {{2, 5}, {1, 1}, {3, 17}}) {
        FloatTensor x = TinyMath.input(bt[0], bt[1], 42 + bt[1]);
        Map<String, FloatTensor> out = m.run(Map.of("input", x));
        assertEquals(List.of("output", "state_h"), List.copyOf(out.keySet()));
        assertArrayEquals(new long[] {bt[0], bt[1], 2}, out.get("output").shape());
        assertArrayEquals(new long[] {bt[0], bt[1], 2}, out.get("state_h").shape());
        assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()) < 1e-6);
        assertTrue(TinyMath.maxAbsDiff(TinyMath.pre(x), out.get("state_h").data()) < 1e-6);
      }
    }
  }

  @Test
  void mapsOutputsByNameWhateverTheirGraphOrder() throws Exception {
    Path file = TinyOnnx.write(tmp.resolve("state-first.onnx"), true);
    try (DjlModel m = DjlModel.loadOnnx(file)) {
      assertEquals(List.of("state_h", "output"), m.outputNames());
      FloatTensor x = TinyMath.input(2, 3, 5);
      Map<String, FloatTensor> out = m.run(Map.of("input", x));
      assertEquals(List.of("state_h", "output"), List.copyOf(out.keySet()));
      assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()) < 1e-6);
      assertTrue(TinyMath.maxAbsDiff(TinyMath.pre(x), out.get("state_h").data()) < 1e-6);
    }
  }

  @Test
  void loadsAFileWithoutTheOnnxExtension() throws Exception {
    Path file = TinyOnnx.write(tmp.resolve("model.bin"), false);
    try (DjlModel m = DjlModel.loadOnnx(file)) {
      FloatTensor x = TinyMath.input(1, 2, 9);
      assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), m.run(Map.of("input", x)).get("output").data()) < 1e-6);
    }
  }

  @Test
  void useAfterCloseIsAnIllegalState() throws Exception {
    DjlModel m = DjlModel.loadOnnx(TinyOnnx.write(tmp.resolve("tiny.onnx"), false));
    m.close();
    m.close();
    FloatTensor x = TinyMath.input(1, 1, 1);
    assertThrows(IllegalStateException.class, () -> m.run(Map.of("input", x)));
    assertThrows(IllegalStateException.class, m::inputNames);
    assertThrows(IllegalStateException.class, m::outputNames);
    assertThrows(IllegalStateException.class, m::engineName);
  }
}
