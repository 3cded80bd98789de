package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.onnx.OnnxImporter;
import dev.rnnx.imports.onnx.TimeMajor;
import dev.rnnx.imports.onnx.TorchFixtures;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import dev.rnnx.tf.TfForms;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.BackendSpec;
import dev.rnnx.weights.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX to TensorFlow: each PyTorch fixture ({@code src/test/fixtures/torch}, made by its
 * {@code make_fixtures.py}) imported, exported as a SavedModel, and run on batch sizes and lengths
 * the export never saw. The SavedModel agrees with the original ONNX file on ONNX Runtime within
 * 1e-5, and both agree with PyTorch's recorded outputs within 1e-5.
 */
class OnnxImportParityTest {

  private static final Path FIXTURES = TorchFixtures.ROOT;

  static Stream<Arguments> fixtures() {
    return TorchFixtures.ALL.stream().flatMap(n -> Stream.of(Arguments.of(n, 13), Arguments.of(n, 17)));
  }

  @ParameterizedTest(name = "{0} opset {1}")
  @MethodSource("fixtures")
  void theSavedModelOfAnImportedPyTorchExportAgreesWithOrtAndPyTorch(String name, int opset, @TempDir Path dir)
      throws IOException {
    Path folder = FIXTURES.resolve(name + "_opset" + opset);
    Path onnx = folder.resolve("model.onnx");
    ImportedModel imported = new OnnxImporter().read(onnx);
    Path savedModel = dir.resolve("saved_model");
    try (TfForms forms = TfForms.build(imported.model(), imported.weights())) {
      forms.exportSavedModels(savedModel, new Provenance(name, "", 0L, Map.of(), Map.of()));
    }
    List<Path> sets;
    try (Stream<Path> s = Files.list(folder)) {
      sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
    }
    assertEquals(4, sets.size());
    try (Backend ort = EngineBackends.INSTANCE.open(BackendSpec.onnx(BackendKind.ORT, onnx));
        Backend tf = EngineBackends.INSTANCE.open(BackendSpec.savedModel(BackendKind.TF_SAVED_MODEL, savedModel, null))) {
      for (Path setDir : sets) {
        TestDataSet set = TestDataSet.read(setDir);
        Map.Entry<String, TypedTensor> y = set.outputs().entrySet().iterator().next();
        Map<String, Tensor> original = new LinkedHashMap<>();
        set.inputs().forEach((k, v) -> original.put(k, v.toTensor()));
        FloatTensor fromOrt = ort.run(original).get(y.getKey());
        Map<String, Tensor> in = TorchFixtures.modelInputs(name, (Sequential) imported.model(), set);
        FloatTensor fromTf = (FloatTensor) batchMajor(name, tf.run(in).get("output"));
        FloatTensor torch = y.getValue().toFloat();
        assertTrue(maxAbs(fromOrt, torch) <= 1e-5, setDir + ": ORT vs PyTorch " + maxAbs(fromOrt, torch));
        assertTrue(maxAbs(fromTf, fromOrt) <= 1e-5, setDir + ": SavedModel vs ORT " + maxAbs(fromTf, fromOrt));
        assertTrue(maxAbs(fromTf, torch) <= 1e-5, setDir + ": SavedModel vs PyTorch " + maxAbs(fromTf, torch));
      }
    }
  }

  private static Tensor batchMajor(String name, Tensor t) {
    return TorchFixtures.TIME_MAJOR.contains(name) ? TimeMajor.swap(t) : t;
  }

  private static double maxAbs(FloatTensor a, FloatTensor b) {
    return TorchFixtures.maxAbs(a, b);
  }
}
