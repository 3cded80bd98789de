package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.onnx.ModelVariants;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx export} on a run folder of the default recipe (sine-lstm, seeded weights instead of
 * training, so that no TensorFlow is needed): fp16 and int8 variants and a float32 export at another
 * opset, with provenance kept; {@code rnnx verify RUN_DIR} then judges the variants under their
 * budgets; bad input is one line on standard error and exit code 2.
 */
class ExportCommandTest {

  @TempDir
  static Path run;



  @BeforeAll
  static void runFolder() throws Exception {
    Recipe recipe = RecipeCodec.read(Path.of("models", "sine-lstm.yaml"));
    Weights weights = seeded(recipe.sequential().parameters(), 0.3);
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(),
        Provenance.libraryVersions(), Map.of("final_loss", 0.01));
    Safetensors.write(run.resolve("weights.safetensors"), weights, provenance.toMetadata());
    OnnxExporter.write(OnnxExporter.export(recipe.sequential(), weights, 17, provenance).get("model"), run.resolve("model.onnx"));
  }

  @Test
  void variantsAreWrittenBesideTheModelAndVerifiedUnderTheirBudgets() throws Exception {
    CliRun fp16 = CliRun.of("export", run.toString(), "--precision", "fp16");
    assertEquals(0, fp16.code(), fp16.out() + fp16.err());
    CliRun int8 = CliRun.of("export", run.toString(), "--quantize", "dynamic-int8");
    assertEquals(0, int8.code(), int8.out() + int8.err());
    Map<String, String> half = metadata(run.resolve("model.fp16.onnx"));
    Map<String, String> quant = metadata(run.resolve("model.int8.onnx"));
    assertEquals("sine-lstm", half.get("rnnx.recipe"));
    assertEquals("42", quant.get("rnnx.seed"));
    assertEquals("0.01", quant.get("rnnx.metric.final_loss"));
    assertEquals("fp16", half.get(ModelVariants.KEY_PRECISION));
    assertEquals("dynamic-int8", quant.get(ModelVariants.KEY_QUANTIZATION));
    assertEquals("model.onnx", quant.get(ModelVariants.KEY_SOURCE));
    assertFalse(Files.list(run).anyMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file left");

    CliRun v = CliRun.of("verify", run.toString(), "--backends", "djl-ort", "--report", run.resolve("verify").toString());
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("variant fp16: within budget"), v.out());
    assertTrue(v.out().contains("variant int8: within budget"), v.out());
    JsonNode json = new ObjectMapper().readTree(run.resolve("verify").resolve("report.json").toFile());
    JsonNode variants = json.get("variants");
    assertEquals(2, variants.size(), json.toPrettyString());
    for (JsonNode n : variants) {
      assertTrue(n.get("passed").asBoolean());
      assertTrue(n.get("worst_abs_err").asDouble() > 0 && n.get("worst_abs_err").asDouble() < n.get("budget").get("atol")
          .asDouble(), n.toPrettyString());
      assertTrue(n.get("size_ratio").asDouble() < 0.8, n.toPrettyString());
      assertTrue(n.get("millis_per_pass").asDouble() > 0 && n.get("fp32_millis_per_pass").asDouble() > 0);
      assertEquals(2, n.get("comparisons").size(), "djl-ort and ref-onnx on the variant");
    }
    assertTrue(Files.readString(run.resolve("verify").resolve("report.html")).contains("Lightweight variants"));

    CliRun none = CliRun.of("verify", run.toString(), "--backends", "djl-ort", "--variants", "none", "--report",
        run.resolve("verify-none").toString());
    assertEquals(0, none.code(), none.out() + none.err());
    assertFalse(none.out().contains("variant fp16"), none.out());
  }

  @Test
  void aSeq2seqRunGetsAVariantPerFormAndAFormIsVerifiedWithOnnx(@TempDir Path dir) throws Exception {
    Recipe recipe = RecipeCodec.read(Path.of("models", "dates-attention.yaml"));
    Weights weights = seeded(recipe.model().parameters(), 0.1);
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(),
        Provenance.libraryVersions(), Map.of());
    Safetensors.write(dir.resolve("weights.safetensors"), weights, provenance.toMetadata());
    OnnxExporter.write(OnnxExporter.export(recipe.model(), weights, 17, provenance), dir);
    CliRun o = CliRun.of("export", dir.toString(), "--quantize", "dynamic-int8");
    assertEquals(0, o.code(), o.out() + o.err());
    for (String form : new String[] {"training", "encoder", "decoder_step", "greedy_decoder"}) {
      assertEquals("int8", metadata(dir.resolve(form + ".int8.onnx")).get(ModelVariants.KEY_VARIANT), form);
      assertTrue(o.out().contains(form + ": "), o.out());
    }
    CliRun v = CliRun.of("verify", "--onnx", dir.resolve("training.onnx").toString(), "--backends", "djl-ort", "--no-isolate",
        "--variants", "int8");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("djl-ort[int8]") && v.out().contains("ref-onnx[int8]"), v.out());
    assertTrue(v.out().contains("variant int8: within budget"), v.out());
  }

  @Test
  void float32AtAnotherOpsetKeepsTheRunsOwnFile(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("m13.onnx");
    CliRun o = CliRun.of("export", run.toString(), "--opset", "13", "--output", out.toString());
    assertEquals(0, o.code(), o.out() + o.err());
    OnnxMl.ModelProto m = OnnxModels.read(out);
    assertEquals(13, m.getOpsetImport(0).getVersion());
    assertEquals("sine-lstm", metadata(out).get("rnnx.recipe"));
    assertEquals(17, OnnxModels.read(run.resolve("model.onnx")).getOpsetImport(0).getVersion());
  }

  @Test
  void badInputIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
    assertBad(CliRun.of("export", run.toString(), "--precision", "bf16"), "--precision bf16: unknown precision");
    assertBad(CliRun.of("export", run.toString(), "--quantize", "static-int8"), "--quantize static-int8: unknown scheme");
    assertBad(CliRun.of("export", run.toString(), "--precision", "fp16", "--quantize", "dynamic-int8"), "cannot be combined");
    assertBad(CliRun.of("export", dir.resolve("missing").toString(), "--precision", "fp16"), "does not exist");
    assertBad(CliRun.of("export", run.resolve("model.onnx").toString()), "can only be made into a variant");
    assertBad(CliRun.of("export", run.toString(), "--opset", "10", "--quantize", "dynamic-int8"), "needs opset 11");
    Path notOnnx = dir.resolve("x.onnx");
    Files.writeString(notOnnx, "not a model");
    assertBad(CliRun.of("export", notOnnx.toString(), "--precision", "fp16"), notOnnx.toString());
    Path half = dir.resolve("h.onnx");
    assertEquals(0, CliRun.of("export", run.resolve("model.onnx").toString(), "--precision", "fp16", "--output", half.toString())
        .code());
    assertBad(CliRun.of("export", half.toString(), "--quantize", "dynamic-int8"), "already an rnnx fp16 variant");
    assertBad(CliRun.of("verify", run.toString(), "--variants", "int4"), "unknown model variant 'int4'");
    Path lone = dir.resolve("lone");
    Files.createDirectories(lone);
    Files.copy(run.resolve("model.onnx"), lone.resolve("model.onnx"));
    assertBad(CliRun.of("verify", "--onnx", lone.resolve("model.onnx").toString(), "--variants", "int8"),
        "model.int8.onnx: does not exist");
  }

  /** N(0, std²) weights, seeded. */
  private static Weights seeded(List<ParameterSpec> parameters, double std) {
    Random rnd = new Random(5);
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : parameters) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * std);
      }
      m.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    return new Weights(m);
  }

  private static void assertBad(CliRun o, String fragment) {
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains(fragment), o.err());
    assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
  }

  private static Map<String, String> metadata(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    OnnxModels.read(file).getMetadataPropsList().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
