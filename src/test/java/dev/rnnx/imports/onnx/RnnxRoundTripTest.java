package dev.rnnx.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.imports.ImportedModel;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** rnnx's own ONNX exports imported back give bit-identical canonical weights and the same layers. */
class RnnxRoundTripTest {

  @TempDir
  Path dir;

  static Stream<Sequential> models() {
    return Stream.of(
        new Sequential("tagger", ModelInput.ofFeatures(3).withLengths(), List.of(
            Lstm.builder("lstm", 5).returnSequences(true).peephole(true).build(),
            new Bidirectional("bi", Gru.builder("bi", 4).returnSequences(true).resetAfter(false).build(), MergeMode.SUM),
            new TimeDistributed("head", new Dense("head", 3, Activation.SOFTMAX, true)))),
        new Sequential("classifier", ModelInput.ofTokens(), List.of(
            new Embedding("embedding", 9, 4, Initializer.EMBEDDING),
            Gru.builder("gru", 6).goBackwards(true).recurrentActivation(Activation.HARD_SIGMOID).build(),
            new Dense("dense", 2, Activation.RELU, false))),
        new Sequential("normed", ModelInput.ofFeatures(2), List.of(
            SimpleRnn.builder("rnn", 4).returnSequences(true).activation(Activation.RELU).build(),
            new LayerNormalization("norm", 1e-3, true, true),
            new Bidirectional("bi", Lstm.builder("bi", 3).build(), MergeMode.AVE),
            new Dense("out", 1, Activation.LINEAR, true))),
        new Sequential("stateful", ModelInput.ofFeatures(2).withLengths(), List.of(
            Lstm.builder("lstm", 3).returnSequences(true).stateInputs(true).build(),
            new Bidirectional("bi", Gru.builder("bi", 3).stateInputs(true).build(), MergeMode.CONCAT),
            new Dense("out", 2, Activation.LINEAR, true))),
        new Sequential("bimul", ModelInput.ofFeatures(2), List.of(
            new Bidirectional("bi", Gru.builder("bi", 3).returnSequences(true).build(), MergeMode.MUL),
            new Bidirectional("bi2", SimpleRnn.builder("bi2", 3).build(), MergeMode.CONCAT),
            new Dense("out", 2, Activation.TANH, true))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void anRnnxExportImportsBackToBitIdenticalWeights(Sequential model) throws IOException {
    Weights weights = EveryExportRoundTripTest.random(model.parameters(), 5);
    Path file = dir.resolve(model.name() + ".onnx");
    OnnxExporter.write(OnnxExporter.export(model, weights, 17, provenance()).get(ModelForm.MODEL), file);
    ImportedModel imported = new OnnxImporter().read(file);
    assertEquals("rnnx", imported.source().framework());
    assertEquals(weights.names(), imported.weights().names());
    for (String name : weights.names()) {
      assertArrayEquals(EveryExportRoundTripTest.bits(weights.get(name)),
          EveryExportRoundTripTest.bits(imported.weights().get(name)), name);
      assertArrayEquals(weights.get(name).shape(), imported.weights().get(name).shape(), name);
    }
    Sequential back = (Sequential) imported.model();
    assertEquals(model.input(), back.input());
    assertEquals(model.inputs(), back.inputs());
    assertEquals(model.layers().size(), back.layers().size());
    for (int i = 0; i < model.layers().size(); i++) {
      Layer want = model.layers().get(i) instanceof TimeDistributed t ? t.asDense() : model.layers().get(i);
      assertEquals(want, back.layers().get(i), "layer " + i);
    }
  }

  @Test
  void theGoldenModelsImportWithTheirRecordedOutputs() throws IOException {
    List<Path> golden;
    try (Stream<Path> s = Files.list(Path.of("models/golden"))) {
      golden = s.filter(p -> Files.exists(p.resolve("model.onnx"))).sorted().toList();
    }
    assertTrue(golden.size() >= 8, golden.toString());
    for (Path g : golden) {
      ImportedModel imported = new OnnxImporter().read(g.resolve("model.onnx"));
      Path again = dir.resolve(g.getFileName() + ".onnx");
      OnnxExporter.write(OnnxExporter.export(imported.model(), imported.weights(), 17, provenance()).get(ModelForm.MODEL), again);
      ImportedModel twice = new OnnxImporter().read(again);
      assertEquals(imported.weights(), twice.weights(), g.toString());
      var ref = ReferenceForms.form(imported.model(), imported.weights(), ModelForm.MODEL);
      TestDataSet set = TestDataSet.read(g.resolve("test_data_set_0"));
      Map<String, Tensor> in = new LinkedHashMap<>();
      set.inputs().forEach((k, v) -> in.put(k, v.toTensor()));
      FloatTensor got = ref.run(in).get("output");
      double err = TorchFixtures.maxAbs(got, set.outputs().get("output").toFloat());
      assertTrue(err <= 1e-5, g + ": max abs error " + err);
    }
  }

  static Provenance provenance() {
    return new Provenance("roundtrip", "name: roundtrip\n", 1L, Map.of("rnnx", "test"), Map.of());
  }
}
