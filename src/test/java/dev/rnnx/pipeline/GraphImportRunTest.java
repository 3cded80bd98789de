package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.RunFolder;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.Npy;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.BackendSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rnnx import} of functional Keras graphs (several inputs and outputs, merges,
 * cross-attention): the run folder's parity verification passes, and every backend (the
 * reference, a live TF session, the SavedModel, the ONNX file on DJL's and the raw ONNX Runtime,
 * and {@link RnnxModel}) gives Keras's outputs within 1e-5 for every output.
 */
class GraphImportRunTest {

  static final Path DIR = Path.of("models", "keras");

  @ParameterizedTest
  @MethodSource("dev.rnnx.imports.keras.KerasGraphFixtures#all")
  void everyBackendGivesKerasOutputsForEveryOutput(String file, String fixture, @TempDir Path tmp) throws Exception {
    ImportedModel m = ModelImports.read(DIR.resolve(file));
    Graph g = (Graph) m.model();
    Path dir = tmp.resolve("imported");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ImportRun.Result r = ImportRun.write(m, dir, ImportRun.defaultLength(m), 17, new PrintStream(log, true));
    assertTrue(r.passed(), log.toString());
    for (String f : List.of("weights.safetensors", "model.onnx", "saved_model/saved_model.pb", ImportRun.SUMMARY)) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    RunFolder folder = RunFolder.open(dir);
    assertEquals(g, folder.model()); // the graph's recipe round-trips through the folder
    assertEquals(g, RecipeCodec.parse(RecipeCodec.write(r.recipe()), "recipe").model());

    Map<String, Tensor> inputs = new LinkedHashMap<>();
    g.inputs().forEach(i -> inputs.put(i.name(), Npy.read(DIR.resolve(fixture + "_input_" + i.name() + ".npy"))));
    Map<String, FloatTensor> expected = new LinkedHashMap<>();
    g.outputs().forEach(o -> expected.put(o, (FloatTensor) Npy.read(DIR.resolve(fixture + "_expected_" + o + ".npy"))));
    assertTrue(maxAbs(ReferenceForms.form(g, m.weights(), ModelForm.MODEL).run(inputs), expected) < 1e-5);
    for (BackendKind kind : List.of(BackendKind.TF_JAVA, BackendKind.TF_SAVED_MODEL, BackendKind.DJL_ORT, BackendKind.ORT)) {
      BackendSpec spec = new BackendSpec(kind, dir.resolve("model.onnx"), dir.resolve("saved_model"), null, g, ModelForm.MODEL,
          m.weights());
      try (Backend b = EngineBackends.INSTANCE.open(spec)) {
        double err = maxAbs(b.run(inputs), expected);
        assertTrue(err < 1e-5, kind + ": max abs error " + err);
      }
    }
    try (RnnxModel served = RnnxModel.load(dir)) { // the Java API on the folder: named tensors in and out
      double err = maxAbs(served.tensors().predict(inputs), expected);
      assertTrue(err < 1e-5, "RnnxModel: max abs error " + err);
    }
  }

  static double maxAbs(Map<String, FloatTensor> got, Map<String, FloatTensor> want) {
    double max = 0;
    for (var e : want.entrySet()) {
      FloatTensor g = got.get(e.getKey());
      assertTrue(g != null, "no output " + e.getKey() + " in " + got.keySet());
      assertEquals(java.util.Arrays.toString(e.getValue().shape()), java.util.Arrays.toString(g.shape()), e.getKey());
      for (int i = 0; i < g.data().length; i++) {
        max = Math.max(max, Math.abs(g.data()[i] - e.getValue().data()[i]));
      }
    }
    return max;
  }
}
