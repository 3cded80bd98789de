package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.ref.onnx.Values;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.tensorio.ElementType;
import dev.rnnx.tensorio.TensorProtoCodec;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import dev.rnnx.tf.TfServingModel;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx verify --onnx F --saved-model D} on artifacts treated as coming from elsewhere (an
 * rnnx export, read without its model), through the command line: reports, name matching, user
 * inputs, and every kind of bad input with exit code 2.
 */
class VerifyCommandTest {

  static final Sequential MODEL = new Sequential("foreign", ModelInput.ofFeatures(2).withLengths(), java.util.List.of(
      Lstm.builder("lstm", 4).build(), new Dense("head", 3, Activation.SOFTMAX, true)));

  @TempDir
  static Path shared;
  static Path onnx;
  static Path savedModel;



  @BeforeAll
  static void export() throws Exception {
    Random rnd = new Random(4);
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : MODEL.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.5);
      }
      m.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    Weights w = new Weights(m);
    Provenance prov = new Provenance("foreign", "", 0, Map.of(), Map.of());
    onnx = shared.resolve("model.onnx");
    OnnxExporter.write(OnnxExporter.export(MODEL, w, 17, prov).get("model"), onnx);
    savedModel = shared.resolve("saved_model");
    try (TfServingModel s = TfServingModel.build(MODEL, w)) {
      s.exportSavedModel(savedModel, prov);
    }
  }

  @Test
  void foreignArtifactsPassWithReportsAndGoldenSetsThatOnnxToolingReads(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report");
    CliRun o = CliRun.of("verify", "--onnx", onnx.toString(), "--saved-model", savedModel.toString(), "--report", report.toString());
    assertEquals(0, o.code(), o.out() + o.err());
    for (String b : new String[] {"djl-ort", "djl-ort-basic", "djl-ort-disabled", "ort", "djl-tf", "tf-saved-model"}) {
      assertTrue(o.out().matches("(?s).*ref-onnx +" + b + " +output .* 6/6  pass\n.*"), b + "\n" + o.out());
    }
    JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
    assertEquals("rnnx-verify-report/3", json.get("schema").asText());
    assertEquals("artifacts", json.get("subject").get("kind").asText());
    assertTrue(json.get("passed").asBoolean());
    assertEquals(1.0, json.get("comparisons").get(0).get("argmax_agreement").asDouble(), "softmax rows: a classifier");
    // the golden sets: ONNX's layout, readable by the evaluator, whose outputs they hold
    Path golden = report.resolve("golden");
    assertTrue(Files.isRegularFile(golden.resolve("model.onnx")));
    OnnxEvaluator e = OnnxEvaluator.load(golden.resolve("model.onnx"));
    for (int n = 0; n < 6; n++) {
      TestDataSet set = TestDataSet.read(golden.resolve("test_data_set_" + n));
      assertEquals(java.util.List.of("input", "lengths"), java.util.List.copyOf(set.inputs().keySet()));
      assertEquals(ElementType.INT32, set.inputs().get("lengths").type(), "the declared int32 lengths");
      Value expected = Values.of(set.outputs().get("output"));
      Value got = e.run(Values.of(set.inputs())).get("output");
      assertTrue(Arrays.equals(expected.toFloatArray(), got.toFloatArray()), "set " + n);
    }
    // and they feed back in as user inputs
    CliRun again = CliRun.of("verify", "--onnx", onnx.toString(), "--inputs", golden.toString(), "--backends", "djl-ort,ort");
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(again.out().contains("8/8") || again.out().contains("6/6"), again.out());
  }

  @Test
  void backendsThatFailAlikeAreNamedTogether(@TempDir Path dir) throws Exception {
    // the ONNX file moves one recurrent weight; the intact SavedModel's two backends then fail alike
    Path broken = dir.resolve("broken.onnx");
    dev.rnnx.verify.CorruptRecurrentWeight.main(new String[] {Files.copy(onnx, broken).toString()});
    CliRun o = CliRun.of("verify", "--onnx", broken.toString(), "--saved-model", savedModel.toString(), "--backends",
        "djl-ort,djl-tf,tf-saved-model", "--no-isolate", "--report", dir.resolve("report").toString());
    assertEquals(1, o.code(), o.out() + o.err());
    java.util.List<String> caseLines = o.out().lines().filter(l -> l.contains("elements beyond tolerance")).toList();
    assertFalse(caseLines.isEmpty(), o.out());
    for (String l : caseLines) {
      assertTrue(l.matches("  \\S+ djl-tf, tf-saved-model: output 'output', \\d+ of \\d+ elements beyond tolerance, max abs err .*"), l);
    }
    assertEquals(1, o.out().lines().filter(l -> l.startsWith("note: ")).count(), o.out());
    assertTrue(o.out().contains("note: djl-tf, tf-saved-model run a SavedModel or a live session"), o.out());
  }

  @Test
  void namesThatDifferAreMatchedWithMapOrEachListed(@TempDir Path dir) throws Exception {
    Path renamed = dir.resolve("renamed.onnx");
    Files.write(renamed, rename(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx)), Map.of("input", "x", "output", "y"))
        .toByteArray());
    CliRun bad = CliRun.of("verify", "--onnx", renamed.toString(), "--saved-model", savedModel.toString());
    assertEquals(2, bad.code(), bad.out() + bad.err());
    assertTrue(bad.err().contains("reference input 'x' has no counterpart") && bad.err().contains("--map x=NAME")
        && bad.err().contains("reference output 'y' has no counterpart"), bad.err());
    CliRun mapped = CliRun.of("verify", "--onnx", renamed.toString(), "--saved-model", savedModel.toString(), "--map", "x=input",
        "--map", "y=output", "--backends", "djl-tf");
    assertEquals(0, mapped.code(), mapped.out() + mapped.err());
    assertTrue(mapped.out().matches("(?s).*ref-onnx +djl-tf +y .*pass\n.*"), mapped.out());
  }

  @Test
  void tablesFitOneHundredColumnsUnlessWide() {
    String[] args = {"verify", "--onnx", onnx.toString(), "--saved-model", savedModel.toString(), "--backends",
        "djl-ort-disabled,tf-saved-model", "--no-isolate"};
    CliRun narrow = CliRun.of(args);
    assertEquals(0, narrow.code(), narrow.out() + narrow.err());
    String[] lines = narrow.out().split("\n");
    assertTrue(lines[0].matches("reference +candidate +output +max_abs +max_rel +p99 +cases +result"), lines[0]);
    assertTrue(narrow.out().matches("(?s).*ref-onnx +djl-ort-disabled +output +\\d\\.\\d\\de-\\d\\d .* 6/6  pass\n.*"),
        narrow.out());
    for (String line : lines) {
      assertTrue(line.length() <= 100, line.length() + " columns: " + line);
    }
    CliRun wide = CliRun.of(java.util.stream.Stream.concat(Arrays.stream(args), java.util.stream.Stream.of("--wide"))
        .toArray(String[]::new));
    assertEquals(0, wide.code(), wide.out() + wide.err());
    String head = wide.out().split("\n")[0];
    assertTrue(head.matches("reference +candidate +output +max_abs +max_rel +mean_abs +p99 +max_ulp +cosine +req_atol"
        + " +req_rtol +argmax +cases +result"), head);
    assertTrue(head.length() > 100, head);
    assertTrue(wide.out().contains("req_atol/req_rtol: the smallest tolerance"), wide.out());
  }

  @Test
  void anyBackendCanBeTheReference() {
    CliRun o = CliRun.of("verify", "--onnx", onnx.toString(), "--saved-model", savedModel.toString(), "--reference", "djl-tf",
        "--backends", "djl-ort,ref-onnx", "--no-isolate");
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().matches("(?s).*djl-tf +djl-ort +output .*pass\n.*"), o.out());
    assertTrue(o.out().matches("(?s).*djl-tf +ref-onnx +output .*pass\n.*"), o.out());
    assertEquals(1, o.out().split("djl-tf +ref-onnx", -1).length - 1, "each candidate once: " + o.out());
  }

  @Test
  void aModelThatFailsTheCheckerIsBadInputWithTheCheckersMessage(@TempDir Path dir) throws Exception {
    OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    g.setNode(0, g.getNode(0).toBuilder().setInput(0, "nowhere"));
    Path broken = dir.resolve("broken.onnx");
    Files.write(broken, m.toBuilder().setGraph(g).build().toByteArray());
    CliRun o = CliRun.of("verify", "--onnx", broken.toString());
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("fails the ONNX checker") && o.err().contains("nowhere"), o.err());
  }

  @Test
  void jsonInputsWithWholeNumbersFeedAFloatInput(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("case.json"), """
        {"input": [[[1, 2], [3, 4], [0, -1]], [[2, 2], [0, 0], [1, 1]]], "lengths": [3, 2]}
        """);
    CliRun o = CliRun.of("verify", "--onnx", onnx.toString(), "--inputs", dir.toString(), "--backends", "djl-ort", "--no-isolate");
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("1/1  pass"), o.out());
  }

  @Test
  void inputsThatDoNotFitAreEachListed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("case.json"), """
        {"inptu": [[[1.0, 2.0]]], "lengths": {"shape": [2], "data": [1, 1], "dtype": "int32"}}
        """);
    CliRun o = CliRun.of("verify", "--onnx", onnx.toString(), "--inputs", dir.toString());
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("unknown input 'inptu'"), o.err());
    assertTrue(o.err().contains("input 'input' is missing"), o.err());
    Files.writeString(dir.resolve("case.json"), """
        {"input": [[[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]]], "lengths": {"shape": [3], "data": [1, 1, 1], "dtype": "int32"}}
        """);
    o = CliRun.of("verify", "--onnx", onnx.toString(), "--inputs", dir.toString());
    assertEquals(2, o.code(), o.out() + o.err());
    Path file = dir.resolve("case.json");
    assertTrue(o.err().contains("2 problems")
        && o.err().contains(file + ": input 'input' must be float32 [batch, time, 2], got float32 [2, 1, 3]")
        && o.err().contains(file + ": input 'lengths' must be int32 [batch], got int64 [3]: batch is 2 in input 'input'"), o.err());
  }

  @Test
  void aTruncatedPbAndAMissingSignatureAreBadInputNotACrash(@TempDir Path dir) throws Exception {
    Path set = dir.resolve("test_data_set_0");
    Files.createDirectories(set);
    byte[] whole = TensorProtoCodec.encode(TypedTensor.of(FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 3, 2)), "input")
        .toByteArray();
    Files.write(set.resolve("input_0.pb"), Arrays.copyOf(whole, whole.length - 7));
    CliRun o = CliRun.of("verify", "--onnx", onnx.toString(), "--inputs", dir.toString());
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("input_0.pb"), o.err());
    assertFalse(o.err().contains("Exception"), o.err());
    o = CliRun.of("verify", "--saved-model", savedModel.toString(), "--signature", "predict", "--inputs", dir.toString());
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("has no 'predict' signature") && o.err().contains("[serving_default]"), o.err());
  }

  /** Renames graph inputs and outputs (and every use of them). */
  static OnnxMl.ModelProto rename(OnnxMl.ModelProto m, Map<String, String> names) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    for (int i = 0; i < g.getInputCount(); i++) {
      g.setInput(i, g.getInput(i).toBuilder().setName(names.getOrDefault(g.getInput(i).getName(), g.getInput(i).getName())));
    }
    for (int i = 0; i < g.getOutputCount(); i++) {
      g.setOutput(i, g.getOutput(i).toBuilder().setName(names.getOrDefault(g.getOutput(i).getName(), g.getOutput(i).getName())));
    }
    for (int i = 0; i < g.getNodeCount(); i++) {
      OnnxMl.NodeProto.Builder n = g.getNode(i).toBuilder();
      for (int k = 0; k < n.getInputCount(); k++) {
        n.setInput(k, names.getOrDefault(n.getInput(k), n.getInput(k)));
      }
      for (int k = 0; k < n.getOutputCount(); k++) {
        n.setOutput(k, names.getOrDefault(n.getOutput(k), n.getOutput(k)));
      }
      g.setNode(i, n);
    }
    return m.toBuilder().setGraph(g).build();
  }
}
