package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.IsolatedOnnxModel;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict} of a .onnx file from elsewhere runs ONNX Runtime in a child process by default. */
class PredictIsolationTest {

  private static final Path MODEL = Path.of("models/golden/sine-lstm/model.onnx");

  @TempDir Path dir;

  private Path input() throws IOException {
    Path in = dir.resolve("in.json");
    Files.writeString(in, "{\"input\": {\"shape\": [1, 4, 1], \"dtype\": \"float32\", \"data\": [0.1, 0.2, 0.3, 0.4]}}");
    return in;
  }

  @Test
  void theIsolatedAnswerIsTheInProcessAnswer() throws IOException {
    Path in = input();
    CliRun isolated = CliRun.of("predict", MODEL.toString(), "--input", in.toString());
    CliRun inProcess = CliRun.of("predict", MODEL.toString(), "--input", in.toString(), "--no-isolate");
    assertEquals(0, isolated.code(), isolated.err());
    assertEquals(0, inProcess.code(), inProcess.err());
    assertEquals(inProcess.out(), isolated.out());
    assertTrue(isolated.out().contains("\"shape\" : [ 1, 1 ]"), isolated.out());
  }

  @Test
  void aBadRequestIsRefusedBeforeTheChildRunsIt() throws IOException {
    try (IsolatedOnnxModel m = RnnxModel.builder(MODEL).buildIsolated()) {
      assertEquals(java.util.List.of("input"), m.inputNames());
      Map<String, FloatTensor> out = m.predict(Map.of("input", new FloatTensor(new long[] {1, 2, 1}, new float[] {0.5f, 0.25f})));
      assertEquals(1, out.size());
      InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
          () -> m.predict(Map.of("input", new FloatTensor(new long[] {1, 2, 2}, new float[4]))));
      assertTrue(e.getMessage().contains("input"), e.getMessage());
    }
  }

  @Test
  void isolationIsForOnnxFiles() throws IOException {
    CliRun o = CliRun.of("predict", dir.toString(), "--input", input().toString(), "--isolate");
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertEquals("rnnx: " + dir + " is not an ONNX file; only a .onnx file runs isolated\n", o.err());
  }
}
