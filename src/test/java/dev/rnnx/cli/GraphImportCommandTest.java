package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.tensorio.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rnnx import} of functional Keras graphs: bad graphs exit 2 naming file and layer; a two-input, two-output folder serves summary, predict, export, verify and verify --expected; fine-tuning on a task that is not named arrays is refused (GraphFineTuneCommandTest fine-tunes). */
class GraphImportCommandTest {

  static final Path KERAS = Path.of("models", "keras");

  @ParameterizedTest
  @CsvSource({"graph_cycle.h5,dense_1", "graph_unknown_tensor.h5,add_1", "graph_unsupported_branch.h5,conv1d",
      "graph_mask_pooling.h5,pool", "graph_mask_merge.h5,lstm_1"})
  void badGraphsExitTwoNamingFileAndLayerAndWriteNothing(String file, String named, @TempDir Path tmp) {
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("import", KERAS.resolve("bad").resolve(file).toString(), "--out", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().startsWith("rnnx: " + KERAS.resolve("bad").resolve(file)), r.err());
    assertTrue(r.err().contains("layer '" + named + "'"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aMaskedGraphImportsAndGivesKerasNumbersOnEveryBackend(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("masked");
    CliRun imported = CliRun.of("import", KERAS.resolve("graph_masking_keras2.h5").toString(), "--out", dir.toString());
    assertEquals(ExitCodes.OK, imported.code(), imported.err());
    // Keras's masked outputs (steps masked mid-sequence, whole rows masked)
    Path recorded = recorded(tmp, "graph_masking_keras2_", List.of("features", "tokens"), List.of("classes", "per_step_sum"));
    CliRun judged = CliRun.of("verify", dir.toString(), "--expected", recorded.toString(), "--backends", "ref,ort,tf-saved-model",
        "--report", tmp.resolve("judged").toString());
    assertEquals(ExitCodes.OK, judged.code(), judged.out() + judged.err());
    assertTrue(judged.out().contains("per_step_sum") && judged.out().contains("classes"), judged.out());
  }

  @Test
  void aTwoInputTwoOutputGraphServesEveryCommandAndRefusesASequenceTask(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("graph");
    CliRun imported = CliRun.of("import", KERAS.resolve("graph_two_inputs_keras2.h5").toString(), "--out", dir.toString());
    assertEquals(ExitCodes.OK, imported.code(), imported.err());

    CliRun summary = CliRun.of("summary", dir.toString());
    assertEquals(ExitCodes.OK, summary.code(), summary.err());
    assertTrue(summary.out().contains("cross_attention"), summary.out());

    ObjectMapper json = new ObjectMapper();
    Map<String, Object> feed = new LinkedHashMap<>();
    for (String in : new String[] {"input_a", "input_b"}) {
      FloatTensor t = (FloatTensor) Npy.read(KERAS.resolve("graph_two_inputs_keras2_input_" + in + ".npy"));
      feed.put(in, Map.of("shape", t.shape(), "data", t.data()));
    }
    Path inputs = tmp.resolve("inputs.json");
    json.writeValue(inputs.toFile(), feed);
    Path predictions = tmp.resolve("predictions.json");
    CliRun predict = CliRun.of("predict", dir.toString(), "--input", inputs.toString(), "--output", predictions.toString());
    assertEquals(ExitCodes.OK, predict.code(), predict.err());
    var out = json.readTree(predictions.toFile());
    assertEquals("[3,3]", out.path("classes").path("shape").toString(), out.toString());
    assertEquals("[3,4,2]", out.path("per_step").path("shape").toString(), out.toString());
    FloatTensor expected = (FloatTensor) Npy.read(KERAS.resolve("graph_two_inputs_keras2_expected_classes.npy"));
    for (int i = 0; i < expected.data().length; i++) {
      assertEquals(expected.data()[i], out.path("classes").path("data").get(i).asDouble(), 1e-5);
    }

    CliRun export = CliRun.of("export", dir.toString(), "--precision", "fp16", "--output", tmp.resolve("fp16.onnx").toString());
    assertEquals(ExitCodes.OK, export.code(), export.err());
    CliRun verify = CliRun.of("verify", dir.toString(), "--backends", "djl-ort", "--report", tmp.resolve("verify").toString());
    assertEquals(ExitCodes.OK, verify.code(), verify.err());

    Path recorded = recorded(tmp, "graph_two_inputs_keras2_", List.of("input_a", "input_b"), List.of("classes", "per_step"));
    CliRun judged = CliRun.of("verify", dir.toString(), "--expected", recorded.toString(), "--backends", "ref,ort",
        "--report", tmp.resolve("judged").toString());
    assertEquals(ExitCodes.OK, judged.code(), judged.err());
    assertTrue(judged.out().contains("per_step") && judged.out().contains("classes"), judged.out());

    Path recipe = tmp.resolve("tune.yaml");
    Files.writeString(recipe, """
        name: tune-graph
        seed: 7
        model:
          type: graph
          inputs: [{name: a, features: 1}]
          nodes:
            - {type: lstm, name: lstm, units: 3, inputs: [a]}
            - {type: dense, name: dense, units: 1, inputs: [lstm]}
          outputs: [dense]
        data: {task: sine, window: 8, samples: 32, validation_fraction: 0.25}
        training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
        """);
    CliRun run = CliRun.of("run", recipe.toString(), "--init-from", dir.toString(), "--out", tmp.resolve("tuned").toString());
    assertEquals(ExitCodes.BAD_INPUT, run.code(), run.err());
    assertTrue(run.err().contains("a graph model cannot train on task 'sine'"), run.err());
    assertFalse(Files.exists(tmp.resolve("tuned")));
  }

  /** Keras's recorded tensors of a fixture as {@code verify --expected} reads them: inputs/<name>.npy, outputs/<name>.npy. */
  private static Path recorded(Path tmp, String fixture, List<String> inputs, List<String> outputs) throws java.io.IOException {
    Path recorded = tmp.resolve("recorded");
    Files.createDirectories(recorded.resolve("inputs"));
    Files.createDirectories(recorded.resolve("outputs"));
    for (String in : inputs) {
      Files.copy(KERAS.resolve(fixture + "input_" + in + ".npy"), recorded.resolve("inputs").resolve(in + ".npy"));
    }
    for (String o : outputs) {
      Files.copy(KERAS.resolve(fixture + "expected_" + o + ".npy"), recorded.resolve("outputs").resolve(o + ".npy"));
    }
    return recorded;
  }
}
