package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.verify.ArtifactPairs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx verify --onnx F --saved-model D} through the command line: the two artifacts' weights
 * lifted into the canonical layout and compared, the first differing layer, parameter and gate block
 * named on the console and in report.json, for an rnnx run and for a PyTorch export imported with
 * {@code rnnx import}; an intact pair reports identical weights.
 */
class VerifyWeightsCommandTest {

  static final Path TORCH_LSTM = Path.of("src/test/fixtures/torch/lstm_batch_first_opset17/model.onnx");

  @Test
  void anRnnxRunWithItsRecurrenceScaledInOneGateBlockIsNamedAndAnIntactPairIsIdentical(@TempDir Path dir) throws Exception {
    Path onnx = ArtifactPairs.sineLstm(dir);
    Path savedModel = dir.resolve("saved_model");
    Path broken = ArtifactPairs.scaleGateBlock(onnx, dir.resolve("broken.onnx"), 3, 1.01f); // ONNX c: canonical c
    Path report = dir.resolve("report");
    CliRun o = CliRun.of("verify", "--onnx", broken.toString(), "--saved-model", savedModel.toString(), "--backends",
        "djl-ort,djl-tf", "--no-isolate", "--report", report.toString());
    assertEquals(1, o.code(), o.out() + o.err());
    String line = o.out().lines().filter(l -> l.startsWith("the artifacts disagree")).findFirst().orElse(o.out());
    assertTrue(line.contains("; weights differ: 1 of 5 parameters; first differing: layer 'lstm', parameter"
        + " recurrent_kernel, gate block c (canonical order i, f, c, o), unit 0, element [0, 40]: "), line);
    JsonNode w = new ObjectMapper().readTree(report.resolve("report.json").toFile()).get("weights");
    assertEquals("differ", w.get("status").asText());
    assertEquals(1, w.get("differing").asInt());
    assertEquals("lstm", w.get("first").get("layer").asText());
    assertEquals("recurrent_kernel", w.get("first").get("parameter").asText());
    assertEquals("c", w.get("first").get("gate_block").asText());
    assertTrue(Files.readString(report.resolve("report.html")).contains("<b class=fail>Weights differ.</b>"));

    CliRun same = CliRun.of("verify", "--onnx", onnx.toString(), "--saved-model", savedModel.toString(), "--backends",
        "djl-ort,djl-tf", "--no-isolate");
    assertEquals(0, same.code(), same.out() + same.err());
    assertTrue(same.out().replace("\n  ", " ").contains("weights identical: all 5 parameters equal bit for bit (ONNX file: lifted by the ONNX"
        + " importer (written by rnnx); SavedModel: lifted through its recorded rnnx recipe)"), same.out());
  }

  @Test
  void aTorchExportImportedThenBrokenIsNamedTheSameWay(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    CliRun imported = CliRun.of("import", TORCH_LSTM.toString(), "--out", run.toString());
    assertEquals(0, imported.code(), imported.out() + imported.err());
    Path broken = ArtifactPairs.scaleGateBlock(TORCH_LSTM, dir.resolve("broken.onnx"), 2, 1.01f); // ONNX f: canonical f
    CliRun o = CliRun.of("verify", "--onnx", broken.toString(), "--saved-model", run.resolve("saved_model").toString(),
        "--backends", "djl-ort,djl-tf", "--no-isolate", "--map", "x=input", "--map", "y=output");
    assertEquals(1, o.code(), o.out() + o.err());
    // torch's LSTM(3, 4): kernel [3, 16], recurrent_kernel [4, 16], bias [16] (b_ih + b_hh); block f starts at column 4
    assertTrue(o.out().contains("; weights differ: 1 of 3 parameters; first differing: layer 'rnn', parameter"
        + " recurrent_kernel, gate block f (canonical order i, f, c, o), unit 0, element [0, 4]: "), o.out());
    assertTrue(o.out().contains("(max abs diff "), o.out());
    assertTrue(o.out().contains("over 16 values of this parameter)"), o.out());

    CliRun same = CliRun.of("verify", "--onnx", TORCH_LSTM.toString(), "--saved-model", run.resolve("saved_model").toString(),
        "--backends", "djl-ort,djl-tf", "--no-isolate", "--map", "x=input", "--map", "y=output");
    assertEquals(0, same.code(), same.out() + same.err());
    assertTrue(same.out().replace("\n  ", " ").contains("weights identical: all 3 parameters equal bit for bit (ONNX file: lifted by the ONNX"
        + " importer (written by pytorch); SavedModel: lifted through its recorded rnnx recipe)"), same.out());
  }
}
