package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

class SavedModelExportTest {

  private static final Sequential STATEFUL = new Sequential("stateful", 2, List.of(
      Lstm.of("lstm", 6, true),
      new Lstm("lstm_1", 4, false, true, Activation.TANH, Activation.SIGMOID, true)));

  private static final Provenance PROVENANCE = new Provenance("stateful", "name: stateful\n", 42,
      Map.of("rnnx", "test", "tensorflow", "1.1.0"), Map.of("val_mse", 0.0031, "final_loss", 0.004));

  @Test
  void reloadsAndServesUnseenLengthsWithTheSameNumbers(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("saved");
    Weights weights = Fixtures.randomWeights(STATEFUL, 5, 0.5);
    try (TfServingModel serving = TfServingModel.build(STATEFUL, weights)) {
      serving.exportSavedModel(dir, PROVENANCE);
      assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
      assertTrue(Files.isRegularFile(dir.resolve(Provenance.SAVED_MODEL_FILE)));
      try (Stream<Path> siblings = Files.list(tmp)) {
        assertEquals(List.of(dir), siblings.toList(), "the temporary sibling was left behind");
      }
      try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), TfServingModel.TAG)) {
        Signature signature = bundle.function(TfServingModel.SIGNATURE_KEY).signature();
        assertEquals(Set.of("input"), signature.inputNames());
        assertEquals(Set.of("output", "state_h", "state_c"), signature.outputNames());
        assertArrayEquals(new long[] {-1, -1, 2}, signature.getInputs().get("input").shape.asArray());
        assertArrayEquals(new long[] {-1, 4}, signature.getOutputs().get("output").shape.asArray());
        assertArrayEquals(new long[] {-1, 4}, signature.getOutputs().get("state_c").shape.asArray());
        for (int time : new int[] {1, 37, 250}) {
          FloatTensor x = Fixtures.randomInput(time, 3, time, 2);
          Map<String, FloatTensor> live = serving.run(Map.of("input", x));
          Map<String, FloatTensor> loaded = new HashMap<>();
          try (TFloat32 in = TfTensors.toNative(x);
              Result result = bundle.function(TfServingModel.SIGNATURE_KEY).call(Map.of("input", in))) {
            for (String name : live.keySet()) {
              loaded.put(name, TfTensors.fromNative((TFloat32) result.get(name).orElseThrow()));
            }
          }
          for (String name : live.keySet()) {
            assertArrayEquals(live.get(name).shape(), loaded.get(name).shape(), name);
            assertArrayEquals(live.get(name).data(), loaded.get(name).data(), 0f, name + " at T=" + time);
          }
          double error = Expected.maxAbsError(loaded.get("state_h"),
              Expected.outputs(STATEFUL, weights, Map.of("input", x)).get("state_h"));
          assertTrue(error < 1e-5, "T=" + time + ": " + error);
        }
      }
    }
  }

  /** Token ids (int64), lengths (int32) and initial states through export and reload, at lengths never seen at build time. */
  @Test
  void intInputsRoundTripWithUnseenLengths(@TempDir Path tmp) throws IOException {
    Sequential model = new Sequential("tagger", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("embed", 9, 4, Initializer.EMBEDDING),
        new Bidirectional("bi", Gru.builder("inner", 3).returnSequences(true).stateInputs(true).build(), MergeMode.CONCAT),
        new TimeDistributed("td", new Dense("inner", 2, Activation.SOFTMAX, true))));
    Path dir = tmp.resolve("saved");
    Weights weights = Fixtures.randomWeights(model, 3, 0.5);
    try (TfServingModel serving = TfServingModel.build(model, weights)) {
      serving.exportSavedModel(dir, PROVENANCE);
      try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), TfServingModel.TAG)) {
        Signature signature = bundle.function(TfServingModel.SIGNATURE_KEY).signature();
        assertEquals(Set.of("input", "lengths", "bi_forward_h0", "bi_backward_h0"), signature.inputNames());
        assertEquals(DataType.DT_INT64, signature.getInputs().get("input").dataType);
        assertEquals(DataType.DT_INT32, signature.getInputs().get("lengths").dataType);
        assertEquals(DataType.DT_FLOAT, signature.getInputs().get("bi_forward_h0").dataType);
        assertArrayEquals(new long[] {-1, -1}, signature.getInputs().get("input").shape.asArray());
        assertArrayEquals(new long[] {-1}, signature.getInputs().get("lengths").shape.asArray());
        assertArrayEquals(new long[] {-1, 3}, signature.getInputs().get("bi_backward_h0").shape.asArray());
        assertArrayEquals(new long[] {-1, -1, 2}, signature.getOutputs().get("output").shape.asArray());
        for (int time : new int[] {1, 13, 61}) {
          Map<String, Tensor> inputs = Fixtures.inputs(model, time, 4, time);
          FloatTensor live = serving.run(inputs).get("output");
          FloatTensor loaded;
          Map<String, org.tensorflow.Tensor> feeds = new HashMap<>();
          try {
            feeds.put("input", TfTensors.toInt64((LongTensor) inputs.get("input")));
            feeds.put("lengths", TfTensors.toInt32((LongTensor) inputs.get("lengths")));
            feeds.put("bi_forward_h0", TfTensors.toNative((FloatTensor) inputs.get("bi_forward_h0")));
            feeds.put("bi_backward_h0", TfTensors.toNative((FloatTensor) inputs.get("bi_backward_h0")));
            try (Result result = bundle.function(TfServingModel.SIGNATURE_KEY).call(feeds)) {
              loaded = TfTensors.fromNative((TFloat32) result.get("output").orElseThrow());
            }
          } finally {
            feeds.values().forEach(org.tensorflow.Tensor::close);
          }
          assertArrayEquals(live.data(), loaded.data(), 0f, "T=" + time);
          double error = Expected.maxAbsError(loaded, Expected.outputs(model, weights, inputs).get("output"));
          assertTrue(error < 1e-5, "T=" + time + ": " + error);
        }
      }
    }
  }

  @Test
  void writesProvenanceBesideTheSavedModel(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("saved");
    try (TfServingModel serving = TfServingModel.build(STATEFUL, Fixtures.randomWeights(STATEFUL, 1, 0.3))) {
      serving.exportSavedModel(dir, PROVENANCE);
    }
    JsonNode json = new ObjectMapper().readTree(dir.resolve(Provenance.SAVED_MODEL_FILE).toFile());
    assertEquals("stateful", json.get("recipe").asText());
    assertEquals("name: stateful\n", json.get("recipeYaml").asText());
    assertEquals(42, json.get("seed").asLong());
    assertEquals("1.1.0", json.get("versions").get("tensorflow").asText());
    assertEquals(0.0031, json.get("metrics").get("val_mse").asDouble());
    Map<String, String> metadata = new HashMap<>();
    json.get("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
    assertEquals(PROVENANCE.toMetadata(), metadata);
    assertEquals(PROVENANCE, Provenance.fromMetadata(metadata));
  }

  @Test
  void replacesAnEarlierExport(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("saved");
    Files.createDirectories(dir.resolve("variables"));
    Files.writeString(dir.resolve("stale.txt"), "old");
    Sequential dense = new Sequential("plain", 3, List.of(Lstm.of("lstm", 2, false), new Dense("dense", 1, Activation.LINEAR, true)));
    try (TfServingModel serving = TfServingModel.build(dense, Fixtures.randomWeights(dense, 2, 0.5))) {
      serving.exportSavedModel(dir, PROVENANCE);
    }
    assertFalse(Files.exists(dir.resolve("stale.txt")));
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), TfServingModel.TAG)) {
      assertEquals(Set.of("output"), bundle.function(TfServingModel.SIGNATURE_KEY).signature().outputNames());
    }
  }

  @Test
  void refusesToExportWhenClosed(@TempDir Path tmp) {
    TfServingModel serving = TfServingModel.build(STATEFUL, Fixtures.randomWeights(STATEFUL, 1, 0.3));
    serving.close();
    assertThrows(IllegalStateException.class, () -> serving.exportSavedModel(tmp.resolve("saved"), PROVENANCE));
    assertFalse(Files.exists(tmp.resolve("saved")));
  }
}
