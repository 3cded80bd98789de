package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx verify}'s verdict through the command line: exit 4 and every unjudged case output
 * listed when no independent reference covers the model (here an operator of the
 * {@code ai.onnx.ml} domain (a Scaler), which the pure-Java evaluator does not run, so ONNX Runtime is
 * compared only with itself); and a PyTorch LSTM export whose recurrence weights are scaled by 1.01
 * caught against the intact file ({@code --reference-onnx}) and localised to node, step and gate.
 */
class VerifyVerdictCommandTest {

  static final Path TORCH = Path.of("src/test/resources/dev/rnnx/verify/torch_lstm/torch_lstm.onnx");

  /** y = ai.onnx.ml Scaler(x) = (x - 0.5) * 2, x float [2, 4]: ONNX Runtime runs it, the evaluator does not. */
  static Path mlScaler(Path file) throws Exception {
    OnnxMl.TypeProto t = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(2))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(4)))).build();
    OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().setName("scaler")
        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(t))
        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(t))
        .addNode(OnnxMl.NodeProto.newBuilder().setName("scaler").setOpType("Scaler").setDomain("ai.onnx.ml").addInput("x")
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("offset").setType(OnnxMl.AttributeProto.AttributeType.FLOATS)
                .addFloats(0.5f))
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("scale").setType(OnnxMl.AttributeProto.AttributeType.FLOATS)
                .addFloats(2f))
            .addOutput("y")).build();
    OnnxMl.ModelProto m = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1))
        .setGraph(g).build();
    Files.write(file, m.toByteArray());
    return file;
  }

  @Test
  void noIndependentReferenceIsUnverifiedWithExitFourAndEveryCaseListed(@TempDir Path dir) throws Exception {
    Path model = mlScaler(dir.resolve("scaler.onnx"));
    Path report = dir.resolve("report");
    CliRun o = CliRun.of("verify", "--onnx", model.toString(), "--backends", "djl-ort,djl-ort-basic,djl-ort-disabled",
        "--no-isolate", "--report", report.toString());
    assertEquals(ExitCodes.UNVERIFIED, o.code(), o.out() + o.err());
    assertEquals(4, o.code());
    assertFalse(o.out().contains("parity holds"), o.out());
    assertTrue(o.out().contains("parity UNVERIFIED (no independent reference)"), o.out());
    assertTrue(o.out().matches("(?s).*djl-ort +djl-ort-basic +y .* 6/6  consistent\n.*"), o.out());
    assertTrue(o.out().contains("consistency checks, not parity (the same engine as the reference djl-ort, ONNX Runtime):"
        + " djl-ort-basic, djl-ort-disabled"), o.out());
    assertTrue(o.out().contains("unverified: 6 case outputs left unjudged"), o.out());
    JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
    assertEquals("unverified", json.get("verdict").asText());
    assertFalse(json.get("passed").asBoolean());
    assertEquals(6, json.get("unjudged").size());
    String reason = json.get("unjudged").get(0).get("reason").asText();
    assertEquals("only consistency checks: djl-ort-basic, djl-ort-disabled against djl-ort, all on ONNX Runtime; no"
        + " independent reference", reason);
    String gap = json.get("reference_gap").asText();
    assertTrue(gap.startsWith("the pure-Java ONNX evaluator cannot run scaler.onnx: ") && gap.contains("Scaler"), gap);
    assertTrue(o.out().contains("  no independent reference: the pure-Java ONNX evaluator cannot run scaler.onnx: "), o.out());
    String junit = Files.readString(report.resolve("junit.xml"));
    assertTrue(junit.contains("failures=\"0\" errors=\"0\" skipped=\"12\""), junit);
    String html = Files.readString(report.resolve("report.html"));
    assertTrue(html.contains("parity UNVERIFIED"));
    // a consistency check is never shown as a pass, in the summary table or above the charts
    assertTrue(html.contains("<td class=\"l pass\">consistent</td>"), html);
    assertFalse(html.contains("<td class=\"l pass\">pass</td>"), html);
    assertTrue(html.contains("\">consistent · <span class=group>"), html);
  }

  @Test
  void torchLstmWithRecurrenceWeightsScaledIsCaughtAndLocalisedToNodeStepAndGate(@TempDir Path dir) throws Exception {
    Path tampered = dev.rnnx.verify.CorruptRecurrentWeight.scaleRecurrence(TORCH, dir.resolve("tampered.onnx"), 1.01f);

    CliRun intact = CliRun.of("verify", "--onnx", TORCH.toString(), "--backends", "djl-ort", "--no-isolate");
    assertEquals(0, intact.code(), intact.out() + intact.err());
    assertTrue(intact.out().contains("parity holds"), intact.out());

    CliRun o = CliRun.of("verify", "--onnx", tampered.toString(), "--reference-onnx", TORCH.toString(), "--backends",
        "djl-ort", "--no-isolate");
    assertEquals(1, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("parity FAILS"), o.out());
    String line = o.out().lines().filter(l -> l.startsWith("first divergence: djl-ort")).findFirst().orElse(o.out());
    assertTrue(line.contains("value '/lstm/LSTM_output_0' of node '/lstm/LSTM' (LSTM) is the first that exceeds"
        + " tolerance"), line);
    assertTrue(line.contains("first diverging step: t=1 of sequence 0"), line);
    assertTrue(line.contains("gate i first in canonical order; all: i (max abs err"), line);
    assertTrue(line.matches(".*all: i \\(.*\\), f \\(.*\\), c \\(.*\\), o \\(.*\\)$"), line);
  }

  @Test
  void artifactsThatDisagreeAreNamedWithWhoSidesWithWhichAndTheFirstDifferingWeight(@TempDir Path dir) throws Exception {
    // an rnnx export laid out like a run folder: weights.safetensors (with the recipe) beside saved_model/
    Path onnx = dev.rnnx.verify.ArtifactPairs.sineLstm(dir);
    Path savedModel = dir.resolve("saved_model");
    Path broken = dir.resolve("broken.onnx");
    dev.rnnx.verify.CorruptRecurrentWeight.main(new String[] {Files.copy(onnx, broken).toString()});
    Path report = dir.resolve("report");
    CliRun o = CliRun.of("verify", "--onnx", broken.toString(), "--saved-model", savedModel.toString(), "--backends",
        "djl-ort,djl-tf,tf-saved-model", "--no-isolate", "--report", report.toString());
    assertEquals(1, o.code(), o.out() + o.err());
    String line = o.out().lines().filter(l -> l.startsWith("the artifacts disagree")).findFirst().orElse(o.out());
    assertTrue(line.startsWith("the artifacts disagree: the ONNX file " + broken + " and the SavedModel " + savedModel
        + " compute different outputs (max abs err "), line);
    assertTrue(line.contains("; the two alone cannot tell which is right; with the ONNX file: ref-onnx, djl-ort; with the"
        + " SavedModel: djl-tf, tf-saved-model; weights differ: 1 of 5 parameters; first differing: layer 'lstm',"
        + " parameter recurrent_kernel, gate block o (canonical order i, f, c, o), unit 0, element [0, 60]: "), line);
    // CorruptRecurrentWeight moved ONNX R[0][20][0] (hidden 20: block o's unit 0) by 0.5: recurrent_kernel[0][60]
    String[] values = line.replaceFirst(".*element \\[0, 60\\]: (\\S+) in the ONNX file, (\\S+) in the SavedModel.*",
        "$1 $2").split(" ");
    assertEquals(0.5, Float.parseFloat(values[0]) - Float.parseFloat(values[1]), 1e-6, line);
    JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
    assertEquals("failed", json.get("verdict").asText());
    assertTrue(json.get("artifacts").get("disagree").asBoolean());
    assertEquals("[\"djl-tf\",\"tf-saved-model\"]", json.get("artifacts").get("with_saved_model").toString());
    assertTrue(Files.readString(report.resolve("report.html")).contains("<b>The artifacts disagree.</b>"));

    CliRun same = CliRun.of("verify", "--onnx", onnx.toString(), "--saved-model", savedModel.toString(), "--backends",
        "djl-ort,djl-tf", "--no-isolate");
    assertEquals(0, same.code(), same.out() + same.err());
    assertFalse(same.out().contains("artifacts"), same.out());
  }
}
