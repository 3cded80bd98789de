package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.RunFolder;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ImportedTask;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.Npy;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.BackendSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rnnx import}'s run folder: every backend (the reference, a live TF session, the SavedModel
 * on TF and DJL, the ONNX file on DJL's and the raw ONNX Runtime) within 1e-5 of the outputs Keras
 * gives, at the fixtures' lengths (12 steps for the DL4J sample saved for 1).
 */
class ImportRunTest {

  static final Path DIR = Path.of("models", "keras");

  @ParameterizedTest
  @CsvSource("simple_lstm_tf_keras_2_model.h5,simple_lstm")
  @MethodSource("dev.rnnx.imports.keras.KerasSequentialFixtures#onEveryBackend")
  void everyBackendGivesKerasOutputs(String file, String fixture, @TempDir Path tmp) throws Exception {
    ImportedModel m = ModelImports.read(DIR.resolve(file));
    Path dir = tmp.resolve("imported");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ImportRun.Result r = ImportRun.write(m, dir, ImportRun.defaultLength(m), 17, new PrintStream(log, true));
    assertTrue(r.passed(), log.toString());
    for (String f : List.of("weights.safetensors", "model.onnx", "saved_model/saved_model.pb", ImportRun.SUMMARY)) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    RunFolder folder = RunFolder.open(dir);
    ImportedTask task = (ImportedTask) folder.recipe().data();
    assertEquals(m.source().sha256(), task.sha256());
    assertEquals("keras", task.framework());
    assertEquals(m.source().frameworkVersion(), task.frameworkVersion());
    assertEquals(m.model(), folder.model());

    Tensor input = Npy.read(DIR.resolve(fixture + "_input.npy"));
    FloatTensor expected = (FloatTensor) Npy.read(DIR.resolve(fixture + "_expected.npy"));
    Map<String, Tensor> inputs = Map.of(Sequential.INPUT, input);
    assertTrue(maxAbs(ReferenceForms.form(m.model(), m.weights(), ModelForm.MODEL).run(inputs).get("output"), expected) < 1e-5);
    for (BackendKind kind : List.of(BackendKind.TF_JAVA, BackendKind.TF_SAVED_MODEL, BackendKind.DJL_ORT, BackendKind.DJL_TF,
        BackendKind.ORT)) {
      BackendSpec spec = new BackendSpec(kind, dir.resolve("model.onnx"), dir.resolve("saved_model"), null, m.model(),
          ModelForm.MODEL, m.weights());
      try (Backend b = EngineBackends.INSTANCE.open(spec)) {
        double err = maxAbs(b.run(inputs).get("output"), expected);
        assertTrue(err < 1e-5, kind + ": max abs error " + err);
      }
    }
    if (((Sequential) m.model()).input().masked()) { // the mask's ONNX expression also on the pure-Java evaluator
      Value feed = input instanceof LongTensor ids ? Value.ofInt64(ids.shape(), ids.data())
          : Value.ofFloats(((FloatTensor) input).shape(), ((FloatTensor) input).data());
      double[] got = OnnxEvaluator.load(dir.resolve("model.onnx")).run(Map.of(Sequential.INPUT, feed)).get("output").toDoubleArray();
      for (int i = 0; i < got.length; i++) {
        assertEquals(expected.data()[i], got[i], 1e-5, "evaluator, element " + i);
      }
    }
    try (RnnxModel served = RnnxModel.load(dir)) { // the Java API on the folder
      double err = maxAbs(served.tensors().predict(inputs).get("output"), expected);
      assertTrue(err < 1e-5, "RnnxModel: max abs error " + err);
    }
  }

  static double maxAbs(FloatTensor got, FloatTensor want) {
    assertEquals(java.util.Arrays.toString(want.shape()), java.util.Arrays.toString(got.shape()));
    double max = 0;
    for (int i = 0; i < got.data().length; i++) {
      max = Math.max(max, Math.abs(got.data()[i] - want.data()[i]));
    }
    return max;
  }
}
