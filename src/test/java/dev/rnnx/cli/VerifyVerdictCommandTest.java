package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.onnx.OnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx verify}'s verdict through the command line: exit 4 and every unjudged case output
 * listed when no independent reference covers the model (here an operator of the
 * {@code com.microsoft} domain, which the pure-Java evaluator does not run, so ONNX Runtime is
 * compared only with itself); and a PyTorch LSTM export whose recurrence weights are scaled by 1.01
 * caught against the intact file ({@code --reference-onnx}) and localised to node, step and gate.
 */
class VerifyVerdictCommandTest {

  static final Path TORCH = Path.of("src/test/resources/dev/rnnx/verify/torch_lstm/torch_lstm.onnx");

  /** y = com.microsoft Gelu(x), x float [2, 4]. */
  static Path contribGelu(Path file) throws Exception {
    OnnxMl.TypeProto t = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(2))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(4)))).build();
    OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().setName("gelu")
        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(t))
        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(t))
        .addNode(OnnxMl.NodeProto.newBuilder().setName("gelu").setOpType("Gelu").setDomain("com.microsoft").addInput("x")
            .addOutput("y")).build();
    OnnxMl.ModelProto m = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1))
        .setGraph(g).build();
    Files.write(file, m.toByteArray());
    return file;
  }

  @Test
  void noIndependentReferenceIsUnverifiedWithExitFourAndEveryCaseListed(@TempDir Path dir) throws Exception {
    Path model = contribGelu(dir.resolve("gelu.onnx"));
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
    assertTrue(reason.startsWith("only consistency checks: djl-ort-basic, djl-ort-disabled against djl-ort, all on ONNX"
        + " Runtime; no independent reference (the pure-Java ONNX evaluator cannot run gelu.onnx:"), reason);
    assertTrue(reason.contains("com.microsoft"), reason);
    String junit = Files.readString(report.resolve("junit.xml"));
    assertTrue(junit.contains("failures=\"0\" errors=\"0\" skipped=\"12\""), junit);
    assertTrue(Files.readString(report.resolve("report.html")).contains("parity UNVERIFIED"));
  }

  @Test
  void torchLstmWithRecurrenceWeightsScaledIsCaughtAndLocalisedToNodeStepAndGate(@TempDir Path dir) throws Exception {
    OnnxMl.ModelProto m = OnnxModels.read(TORCH);
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    String r = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("LSTM")).findFirst().orElseThrow()
        .getInput(2);
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(r)) {
        OnnxMl.TensorProto t = g.getInitializer(i);
        java.nio.FloatBuffer f = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(4 * f.remaining()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (f.hasRemaining()) {
          out.putFloat(f.get() * 1.01f);
        }
        g.setInitializer(i, t.toBuilder().setRawData(com.google.protobuf.ByteString.copyFrom(out.array())));
      }
    }
    Path tampered = dir.resolve("tampered.onnx");
    Files.write(tampered, m.toBuilder().setGraph(g).build().toByteArray());

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
}
