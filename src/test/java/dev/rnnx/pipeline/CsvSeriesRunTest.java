package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.data.Dataset;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Normalization;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.weights.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A forecaster trained on a slice of the shipped CO2 file: raw ppm in and out of every export, statistics in report.json. */
class CsvSeriesRunTest {

  private static final String RECIPE = """
      name: co2-slice
      seed: 3
      model:
        input: {features: 1}
        layers:
          - {type: normalization}
          - {type: gru, units: 4}
          - {type: dense, units: 2}
          - {type: normalization, invert: true}
      data: {task: csv, file: data/slice.csv, time: date, features: [co2], targets: [co2], window: 8, horizon: 2,
             missing: interpolate, season: 52}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 2, batch_size: 32}
      tolerances: {atol: 0.001, rtol: 0.0001}
      """;

  /** The recipe in {@code dir/recipes/} and the first 400 rows of the shipped series in {@code dir/recipes/data/}. */
  private static Path slice(Path dir) throws Exception {
    List<String> lines = Files.readAllLines(Path.of("models/data/co2.csv"));
    Path data = Files.createDirectories(dir.resolve("recipes/data"));
    Files.write(data.resolve("slice.csv"), lines.subList(0, 401));
    Path recipe = dir.resolve("recipes/co2-slice.yaml");
    Files.writeString(recipe, RECIPE);
    return recipe;
  }

  @Test
  void exportsTakeAndReturnRawUnitsAndTheReportCountsTheData(@TempDir Path dir) throws Exception {
    Recipe recipe = RecipeCodec.read(slice(dir));
    Path out = dir.resolve("out");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RunReport report = RunPipeline.run(recipe, out, TrainingOptions.builder().build(), new PrintStream(log, true, "UTF-8"));
    assertTrue(report.passed(), log.toString("UTF-8"));

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    JsonNode data = json.get("data");
    assertEquals(400, data.get("rows_read").asInt());
    assertEquals(47, data.get("missing_values").asInt(), "the gaps among the first 400 weeks");
    assertEquals(47, data.get("values_interpolated").asInt());
    assertEquals("19580329", data.get("training").get("from").asText());
    assertEquals(280, data.get("training").get("rows").asInt());
    assertEquals(2, data.get("test_forecast").size(), "one row per horizon");
    assertTrue(data.get("test_forecast").get(0).get("seasonal_naive_mae").asDouble() > 0);

    // the recorded recipe holds the constants fitted on the training rows
    Recipe recorded = RecipeCodec.parse(dev.rnnx.weights.Provenance.fromMetadata(Safetensors.read(out.resolve("weights.safetensors")).metadata()).recipeYaml(), "recorded");
    Normalization first = (Normalization) ((Sequential) recorded.model()).layers().get(0);
    assertEquals(1, first.mean().size());
    assertTrue(first.mean().get(0) > 310 && first.mean().get(0) < 325, "mean ppm of 1958-1963: " + first.mean());

    // the ONNX graph alone maps raw ppm to raw ppm, as the reference forward of the trained model does
    RunData runData = RunData.of(recipe);
    Dataset test = runData.series().test();
    FloatTensor x = (FloatTensor) test.x();
    Map<String, Value> onnx = OnnxEvaluator.load(out.resolve("model.onnx"))
        .run(Map.of(Sequential.INPUT, Value.ofFloats(x.shape(), x.data())));
    double[] fromOnnx = onnx.values().iterator().next().toDoubleArray();
    double[] fromRef = ReferenceForms.of(recorded.model(), Safetensors.read(out.resolve("weights.safetensors")).weights())
        .get(ModelForm.MODEL).forward(test.inputs()).values().iterator().next().data();
    assertArrayEquals(fromRef, fromOnnx, 1e-3);
    for (double v : fromOnnx) {
      assertTrue(v > 250 && v < 400, "a forecast in ppm: " + v);
    }
  }

  @Test
  void theSameSeedGivesTheSameWeights(@TempDir Path dir) throws Exception {
    Recipe recipe = RecipeCodec.read(slice(dir));
    RunData a = RunData.of(recipe);
    RunData b = RunData.of(recipe);
    assertEquals(a.recipe(), b.recipe());
    var wa = Trainer.train(a.recipe(), a.data(), TrainingOptions.builder().build()).weights();
    var wb = Trainer.train(b.recipe(), b.data(), TrainingOptions.builder().build()).weights();
    assertEquals(wa.names(), wb.names());
    for (String n : wa.names()) {
      assertArrayEquals(wa.get(n).data(), wb.get(n).data(), n);
    }
  }
}
