package dev.rnnx.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.DjlModel;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.ref.onnx.Values;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed golden sets of the zoo ({@code models/golden/<recipe>/}: the trained
 * {@code model.onnx} and {@code test_data_set_N} inputs and reference outputs, written by
 * {@code rnnx verify}): ONNX Runtime (through DJL) and the pure-Java ONNX evaluator must still
 * reproduce the reference outputs, at the recipes' 1e-5 tolerances (Polygraphy's elementwise rule).
 * A change to the runtimes, the evaluator or the file format that moves a number shows here.
 */
class ZooGoldenTest {

  static Stream<Path> models() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("models", "golden"))) {
      List<Path> dirs = s.filter(d -> Files.isRegularFile(d.resolve("model.onnx"))).sorted().toList();
      assertFalse(dirs.isEmpty(), "models/golden holds the zoo's golden sets");
      return dirs.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void runtimesReproduceTheGoldenOutputs(Path dir) {
    List<Path> sets = TestDataSet.find(dir);
    assertTrue(sets.size() >= 3, dir + " holds its golden sets");
    OnnxEvaluator evaluator = OnnxEvaluator.load(dir.resolve("model.onnx"));
    try (DjlModel ort = DjlModel.loadOnnx(dir.resolve("model.onnx"))) {
      for (Path set : sets) {
        TestDataSet golden = TestDataSet.read(set);
        Map<String, Value> evaluated = evaluator.run(Values.of(golden.inputs()));
        Map<String, FloatTensor> fromOrt = ort.run(TypedTensor.toTensors(golden.inputs()));
        for (var out : golden.outputs().entrySet()) {
          float[] want = out.getValue().toFloat().data();
          assertClose(want, evaluated.get(out.getKey()).toFloatArray(), set + " evaluator " + out.getKey());
          FloatTensor got = fromOrt.get(out.getKey());
          assertArrayEquals(out.getValue().shape(), got.shape(), set + " " + out.getKey());
          assertClose(want, got.data(), set + " onnxruntime " + out.getKey());
        }
      }
    }
  }

  private static void assertClose(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      double err = Math.abs(want[i] - got[i]);
      assertTrue(err <= 1e-5 || err <= 1e-5 * Math.abs(want[i]), what + " element " + i + ": " + got[i] + " vs golden " + want[i]);
    }
  }
}
