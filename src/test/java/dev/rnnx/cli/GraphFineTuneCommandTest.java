package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.pipeline.GraphFineTuneTest;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.NpzFiles;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx run RECIPE --init-from DIR} on an imported two-input, two-output Keras graph: the
 * recipe starts from the folder's {@code recipe.yaml} (its model section) and names {@code .npz}
 * arrays; training lowers the loss, the weights move, the run passes parity and records where it
 * started from; bad archives exit 2 naming the file and the array, and write nothing.
 */
class GraphFineTuneCommandTest {

  static final Path FIXTURE = GraphFineTuneTest.FIXTURE;

  /** The import folder's recipe with its data and training sections replaced. */
  private static Path recipe(Path dir, Path at, String data) throws Exception {
    String imported = Files.readString(dir.resolve("recipe.yaml"));
    String model = imported.substring(0, imported.indexOf("\ndata:\n") + 1).replaceFirst("^name: ", "name: tuned-");
    Files.writeString(at, model + data + """
        training: {loss: auto, optimizer: adam, learning_rate: 0.01, epochs: 6, batch_size: 16}
        """);
    return at;
  }

  @Test
  void anImportedGraphFineTunesFromTheCommandLine(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("graph");
    CliRun imported = CliRun.of("import", FIXTURE.toString(), "--out", dir.toString());
    assertEquals(ExitCodes.OK, imported.code(), imported.err());
    NpzFiles.write(tmp.resolve("train.npz"), GraphFineTuneTest.examples(96, 1));
    Path recipe = recipe(dir, tmp.resolve("tune.yaml"), """
        data:
          task: arrays
          train: train.npz
          validation_fraction: 0.25
          losses: {per_step: mse}
          loss_weights: {per_step: 0.5}
        """);
    Path tuned = tmp.resolve("tuned");
    CliRun run = CliRun.of("run", recipe.toString(), "--init-from", dir.toString(), "--out", tuned.toString());
    assertEquals(ExitCodes.OK, run.code(), run.err() + run.out());

    JsonNode report = new ObjectMapper().readTree(tuned.resolve("report.json").toFile());
    JsonNode loss = report.path("training").path("loss");
    assertTrue(loss.size() == 6 && loss.get(5).asDouble() < 0.8 * loss.get(0).asDouble(), loss.toString());
    JsonNode from = report.path("data").path("init_from");
    assertEquals("graph_two_inputs_keras2.h5", from.path("imported_from").asText(), from.toString());
    assertEquals(ModelImports.sha256(FIXTURE), from.path("imported_sha256").asText());
    assertEquals(72, report.path("data").path("train_examples").asInt(), report.path("data").toString());
    assertEquals("sparse_categorical_crossentropy", report.path("data").path("losses").path("classes").path("loss").asText());

    Weights before = Safetensors.read(dir.resolve("weights.safetensors")).weights();
    Weights after = Safetensors.read(tuned.resolve("weights.safetensors")).weights();
    float[] k0 = before.get("decoder/kernel").data();
    float[] k1 = after.get("decoder/kernel").data();
    double moved = 0;
    for (int i = 0; i < k0.length; i++) {
      moved = Math.max(moved, Math.abs(k0[i] - k1[i]));
    }
    assertTrue(moved > 1e-3, "decoder/kernel moved at most " + moved);
    assertTrue(Files.isRegularFile(tuned.resolve("model.onnx")) && Files.isDirectory(tuned.resolve("saved_model")));
    CliRun verify = CliRun.of("verify", tuned.toString(), "--backends", "djl-ort,tf-saved-model", "--report",
        tmp.resolve("verify").toString());
    assertEquals(ExitCodes.OK, verify.code(), verify.err());
  }

  @Test
  void badArchivesExitTwoNamingTheFileAndTheArrayAndWriteNothing(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("graph");
    CliRun imported = CliRun.of("import", FIXTURE.toString(), "--out", dir.toString());
    assertEquals(ExitCodes.OK, imported.code(), imported.err());
    Map<String, Tensor> good = GraphFineTuneTest.examples(8, 1);

    Map<String, Tensor> missing = new LinkedHashMap<>(good);
    missing.remove("per_step");
    Map<String, Tensor> dense = new LinkedHashMap<>(good);
    dense.put("classes", FloatTensor.zeros(8, 3)); // one-hot floats where class ids are expected
    Map<String, Tensor> steps = new LinkedHashMap<>(good);
    steps.put("per_step", FloatTensor.zeros(8, 5, 2)); // input_b has 4 steps
    Map<String, Tensor> extra = new LinkedHashMap<>(good);
    extra.put("input_c", FloatTensor.zeros(8, 1));
    Map<String, Tensor> features = new LinkedHashMap<>(good);
    features.put("input_a", FloatTensor.zeros(8, 5, 4));
    Map<String, Map<String, Tensor>> cases = new LinkedHashMap<>();
    cases.put("array 'per_step' is missing, expected one array per input and output", missing);
    cases.put("array 'classes' is float32 [8, 3], expected int64 class ids [8] (loss sparse_categorical_crossentropy)", dense);
    cases.put("array 'per_step' is float32 [8, 5, 2], expected float32 [8, 4, 2]", steps);
    cases.put("array 'input_c' is neither an input nor an output of graph model", extra);
    cases.put("input_a", features);
    int k = 0;
    for (var c : cases.entrySet()) {
      Path archive = NpzFiles.write(tmp.resolve("bad" + k + ".npz"), c.getValue());
      Path recipe = recipe(dir, tmp.resolve("bad" + k + ".yaml"), "data: {task: arrays, train: bad" + k + ".npz}\n");
      Path out = tmp.resolve("out" + k++);
      CliRun run = CliRun.of("run", recipe.toString(), "--init-from", dir.toString(), "--out", out.toString());
      assertEquals(ExitCodes.BAD_INPUT, run.code(), c.getKey() + ": " + run.err());
      assertTrue(run.err().contains(archive.toString()) && run.err().contains(c.getKey()), run.err());
      assertEquals(1, run.err().lines().count(), run.err());
      assertFalse(Files.exists(out), c.getKey());
    }

    Path truncated = tmp.resolve("truncated.npz");
    byte[] whole = Files.readAllBytes(NpzFiles.write(tmp.resolve("whole.npz"), good));
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
    Path recipe = recipe(dir, tmp.resolve("truncated.yaml"), "data: {task: arrays, train: truncated.npz}\n");
    CliRun run = CliRun.of("run", recipe.toString(), "--init-from", dir.toString(), "--out", tmp.resolve("t").toString());
    assertEquals(ExitCodes.BAD_INPUT, run.code(), run.err());
    assertTrue(run.err().contains(truncated + ": is not a readable .npz (zip) archive"), run.err());
    assertFalse(Files.exists(tmp.resolve("t")));

    Path wrongLoss = recipe(dir, tmp.resolve("loss.yaml"), "data: {task: arrays, train: whole.npz, losses: {classes: mse, "
        + "per_step: sparse_categorical_crossentropy}}\n");
    CliRun refused = CliRun.of("run", wrongLoss.toString(), "--init-from", dir.toString(), "--out", tmp.resolve("l").toString());
    assertEquals(ExitCodes.BAD_INPUT, refused.code(), refused.err());
    assertTrue(refused.err().contains("output 'per_step' has activation 'tanh', but loss sparse_categorical_crossentropy needs"
        + " activation 'softmax'"), refused.err());
  }
}
