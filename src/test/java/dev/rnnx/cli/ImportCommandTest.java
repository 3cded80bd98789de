package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rnnx import}: bad files refused with exit 2 and nothing written; the folder then serves summary, predict, export, verify and run --init-from. */
class ImportCommandTest {

  static final Path KERAS = Path.of("models", "keras");

  @ParameterizedTest
  @CsvSource({"lambda.h5,lambda_1", "wrong_shape.h5,lstm_1", "missing_layer.h5,dense_1", "unsupported_activation.h5,dense_1",
      "truncated.h5,truncated.h5", "truncated.keras,truncated.keras",
      "flatten_dynamic.h5,flatten", "bidirectional_backward_layer.keras,bidirectional",
      "sequential_bidirectional_none.h5,bidirectional", "nested_functional.h5,inner", "nested_twice.h5,outer_encoder"})
  void badFilesExitTwoNamingFileAndLayerAndWriteNothing(String file, String named, @TempDir Path tmp) {
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("import", KERAS.resolve("bad").resolve(file).toString(), "--out", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().startsWith("rnnx: " + KERAS.resolve("bad").resolve(file)), r.err());
    assertTrue(r.err().contains(named), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aMaskedModelExportsFromOpsetElevenAndPredicts(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("masked");
    CliRun imported = CliRun.of("import", KERAS.resolve("masking_lstm_keras2.h5").toString(), "--out", dir.toString());
    assertEquals(ExitCodes.OK, imported.code(), imported.err());
    CliRun old = CliRun.of("export", dir.toString(), "--opset", "10", "--output", tmp.resolve("old.onnx").toString());
    assertEquals(ExitCodes.BAD_INPUT, old.code(), old.err());
    assertTrue(old.err().contains("a masked model (mask_value 0.0) needs opset 11 or later"), old.err());
    assertFalse(Files.exists(tmp.resolve("old.onnx")));
    CliRun ok = CliRun.of("export", dir.toString(), "--opset", "11", "--output", tmp.resolve("eleven.onnx").toString());
    assertEquals(ExitCodes.OK, ok.code(), ok.err());
    for (List<String> variant : List.of(List.of("--precision", "fp16"), List.of("--quantize", "dynamic-int8"))) {
      CliRun r = CliRun.of("export", dir.toString(), variant.get(0), variant.get(1), "--output", tmp.resolve(variant.get(1) + ".onnx").toString());
      assertEquals(ExitCodes.OK, r.code(), variant + ": " + r.err());
    }
    Path predictions = tmp.resolve("predictions.json");
    CliRun predict = CliRun.of("predict", dir.toString(), "--input", KERAS.resolve("masking_lstm_keras2_input.npy").toString(),
        "--output", predictions.toString());
    assertEquals(ExitCodes.OK, predict.code(), predict.err());
    assertTrue(Files.readString(predictions).contains("\"shape\" : [ 5, 2 ]"), Files.readString(predictions));
  }

  /** Imports {@code file}, fine-tunes it with {@code run RECIPE --init-from} and gives the training loss per epoch. */
  private static com.fasterxml.jackson.databind.JsonNode fineTuneImported(Path tmp, String file, String recipe) throws Exception {
    Path dir = tmp.resolve("masked");
    CliRun imported = CliRun.of("import", KERAS.resolve(file).toString(), "--out", dir.toString());
    assertEquals(ExitCodes.OK, imported.code(), imported.err());
    Path tuned = tmp.resolve("tuned");
    CliRun run = CliRun.of("run", Path.of("src", "test", "resources", "dev", "rnnx", "cli", recipe).toString(), "--init-from",
        dir.toString(), "--out", tuned.toString());
    assertEquals(ExitCodes.OK, run.code(), run.err());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(tuned.resolve("report.json").toFile())
        .path("training").path("loss");
  }

  @Test
  void aMaskedImportFineTunesAndItsLossFalls(@TempDir Path tmp) throws Exception {
    var loss = fineTuneImported(tmp, "masking_sine_keras2.h5", "finetune-masked-sine.yaml");
    assertTrue(loss.size() == 6 && loss.get(5).asDouble() < loss.get(0).asDouble() / 2, loss.toString());
  }

  @Test
  void aMaskedSequenceTaggerFineTunesAndItsLossFalls(@TempDir Path tmp) throws Exception {
    var loss = fineTuneImported(tmp, "masking_tagger_keras2.h5", "finetune-masked-tagger.yaml");
    // the masked steps (bit 0) are skipped, so a tag (x[t−1] + x[t+1]) is only partly knowable: the loss falls below the
    // entropy of the tags (1/4, 1/2, 1/4: 1.0397 nats), the best a constant prediction reaches
    assertTrue(loss.size() == 6 && loss.get(5).asDouble() < loss.get(0).asDouble() && loss.get(5).asDouble() < 1.0397,
        loss.toString());
  }

  @Test
  void theImportedFolderServesEveryCommandAndFineTunes(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("imported");
    CliRun imported = CliRun.of("import", KERAS.resolve("simple_lstm_tf_keras_2_model.h5").toString(), "--out", dir.toString());
    assertEquals(ExitCodes.OK, imported.code(), imported.err());

    CliRun summary = CliRun.of("summary", dir.toString());
    assertEquals(ExitCodes.OK, summary.code(), summary.err());
    assertTrue(summary.out().contains("lstm_1 (LSTM)") && summary.out().contains("10,451"), summary.out());

    Path predictions = tmp.resolve("predictions.json");
    CliRun predict = CliRun.of("predict", dir.toString(), "--input", KERAS.resolve("simple_lstm_input.npy").toString(),
        "--output", predictions.toString());
    assertEquals(ExitCodes.OK, predict.code(), predict.err());
    assertTrue(Files.readString(predictions).contains("\"shape\" : [ 6, 1 ]"));

    Path fp16 = tmp.resolve("fp16.onnx");
    CliRun export = CliRun.of("export", dir.toString(), "--precision", "fp16", "--opset", "13", "--output", fp16.toString());
    assertEquals(ExitCodes.OK, export.code(), export.err());
    assertTrue(Files.size(fp16) > 0);

    CliRun verify = CliRun.of("verify", dir.toString(), "--backends", "djl-ort", "--report", tmp.resolve("verify").toString());
    assertEquals(ExitCodes.OK, verify.code(), verify.err());

    Path recipe = Path.of("src", "test", "resources", "dev", "rnnx", "cli", "finetune-simple-lstm.yaml");
    Path tuned = tmp.resolve("tuned");
    CliRun run = CliRun.of("run", recipe.toString(), "--init-from", dir.toString(), "--out", tuned.toString());
    assertEquals(ExitCodes.OK, run.code(), run.err());
    Weights before = Safetensors.read(dir.resolve("weights.safetensors")).weights();
    Weights after = Safetensors.read(tuned.resolve("weights.safetensors")).weights();
    // 4 Adam steps at learning rate 0.001 move each weight by at most ~0.004: training started from the import
    FloatTensor k0 = before.get("lstm_1/recurrent_kernel");
    FloatTensor k1 = after.get("lstm_1/recurrent_kernel");
    double moved = 0;
    for (int i = 0; i < k0.data().length; i++) {
      moved = Math.max(moved, Math.abs(k0.data()[i] - k1.data()[i]));
    }
    assertTrue(moved > 0 && moved < 0.01, "max change " + moved);

    Path other = tmp.resolve("other.yaml");
    Files.writeString(other, Files.readString(recipe).replace("units: 50", "units: 20"));
    CliRun refused = CliRun.of("run", other.toString(), "--init-from", dir.toString(), "--out", tmp.resolve("no").toString());
    assertEquals(ExitCodes.BAD_INPUT, refused.code(), refused.err());
    assertTrue(refused.err().contains("--init-from " + dir + ": its weights do not fit recipe 'finetune-simple-lstm'"), refused.err());
    assertFalse(Files.exists(tmp.resolve("no")));
  }
}
