package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.InputCase;
import dev.rnnx.tensorio.InputFiles;
import dev.rnnx.tensorio.InputFilesTest;
import dev.rnnx.tf.TfServingModel;
import dev.rnnx.weights.Weights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * One wrong input, one message, whatever runs it: the same {@code input.npy} of the wrong shape fed
 * to the pure-Java reference, a run folder served on ONNX Runtime and on TensorFlow, the bare
 * {@code .onnx} file and the bare SavedModel on DJL, and the live TensorFlow graph is refused with
 * the same text, naming the file, the input and what was expected.
 */
class OneMessageEverywhereTest {

  @TempDir static Path tmp;
  static Path run;
  static Sequential model;
  static Weights weights;
  static Map<String, Tensor> wrong;
  static String expected;

  @BeforeAll
  static void artifacts() throws Exception {
    run = ServingRuns.withSavedModel(ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm"));
    model = RecipeCodec.read(Path.of("models", "sine-lstm.yaml")).sequential();
    weights = ServingRuns.weights(run);
    Path file = tmp.resolve("case").resolve("input.npy");
    Files.createDirectories(file.getParent());
    ByteBuffer data = ByteBuffer.allocate(4 * 30).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 30; i++) {
      data.putFloat(0.1f * i);
    }
    Files.write(file, InputFilesTest.npy("<f4", new long[] {2, 5, 3}, data.array()));
    List<InputCase> cases = InputFiles.read(file.getParent());
    wrong = cases.get(0).inputs();
    expected = file + ": input 'input' must be float32 [batch, time, 1], got float32 [2, 5, 3]";
  }

  private static void sameMessage(Executable call) {
    InvalidInputException e = assertThrows(InvalidInputException.class, call);
    assertEquals(expected, e.getMessage());
    assertEquals(InvalidInputException.Problem.SHAPE, e.problem());
    assertEquals("input", e.input());
  }

  @Test
  void theReferenceSaysIt() {
    sameMessage(() -> new ReferenceModel(model, weights).run(wrong));
  }

  @Test
  void theLiveTensorFlowGraphSaysIt() {
    try (TfServingModel live = TfServingModel.build(model, weights)) {
      sameMessage(() -> live.run(wrong));
    }
  }

  @Test
  void aRunFolderSaysItOnEitherEngine() {
    for (String engine : List.of("OnnxRuntime", "TensorFlow")) {
      try (RnnxModel served = RnnxModel.builder(run).optEngine(engine).optPoolSize(1).optWarmUp(false).build()) {
        sameMessage(() -> served.tensors().predict(wrong));
      }
    }
  }

  @Test
  void bareArtifactsSayIt() {
    try (DjlModel onnx = DjlModel.loadOnnx(run.resolve("model.onnx"));
        DjlModel savedModel = DjlModel.loadSavedModel(run.resolve("saved_model"))) {
      sameMessage(() -> onnx.run(wrong));
      sameMessage(() -> savedModel.run(wrong));
    }
  }

  @Test
  void inputsFromNoFileAreTheRequest() {
    Map<String, Tensor> plain = new LinkedHashMap<>(wrong);
    String request = expected.replace(tmp.resolve("case").resolve("input.npy").toString(), "request");
    try (TfServingModel live = TfServingModel.build(model, weights)) {
      assertEquals(request, assertThrows(InvalidInputException.class, () -> live.run(plain)).getMessage());
    }
    assertEquals(request, assertThrows(InvalidInputException.class,
        () -> new ReferenceModel(model, weights).run(plain)).getMessage());
  }
}
