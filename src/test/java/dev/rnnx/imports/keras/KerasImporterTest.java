package dev.rnnx.imports.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.imports.ImportException;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.Npy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keras files of every format, against Keras's outputs (the DL4J sample, and the h5py fixtures of models/keras/). */
class KerasImporterTest {

  static final Path DIR = Path.of("models", "keras");

  /** The reference forward's largest difference from the expected outputs. */
  static double maxError(ImportedModel m, String fixture) {
    Tensor input = Npy.read(DIR.resolve(fixture + "_input.npy"));
    FloatTensor expected = (FloatTensor) Npy.read(DIR.resolve(fixture + "_expected.npy"));
    FloatTensor got = ReferenceForms.form(m.model(), m.weights(), ModelForm.MODEL).run(Map.of(Sequential.INPUT, input)).get("output");
    assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(got.shape()));
    double max = 0;
    for (int i = 0; i < got.data().length; i++) {
      max = Math.max(max, Math.abs(got.data()[i] - expected.data()[i]));
    }
    return max;
  }

  @Test
  void theDl4jKeras2SampleGivesKerasOutputsAtTwelveSteps() {
    ImportedModel m = ModelImports.read(DIR.resolve("simple_lstm_tf_keras_2_model.h5"));
    Sequential s = (Sequential) m.model();
    Lstm lstm = (Lstm) s.layers().get(0);
    assertEquals(50, lstm.units());
    assertEquals(Activation.HARD_SIGMOID, lstm.recurrentActivation());
    assertEquals("keras-h5", m.source().format());
    assertEquals("keras", m.source().framework());
    assertEquals("2.0.6", m.source().frameworkVersion());
    assertEquals(64, m.source().sha256().length());
    assertTrue(maxError(m, "simple_lstm") < 1e-5);
  }

  @ParameterizedTest
  @MethodSource("dev.rnnx.imports.keras.KerasSequentialFixtures#all")
  void everyFixtureGivesKerasOutputs(String file, String fixture) {
    ImportedModel m = ModelImports.read(DIR.resolve(file));
    double err = maxError(m, fixture);
    assertTrue(err < 1e-5, file + ": max abs error " + err);
  }

  @Test
  void versionsDecideHardSigmoidAndGruDefaults() {
    Sequential k3 = (Sequential) ModelImports.read(DIR.resolve("lstm_keras3.keras")).model();
    assertEquals(Activation.HARD_SIGMOID_KERAS3, ((Lstm) k3.layers().get(0)).recurrentActivation());
    Sequential gru = (Sequential) ModelImports.read(DIR.resolve("gru_tagger_keras2.h5")).model();
    assertEquals(false, ((Gru) gru.layers().get(0)).resetAfter());
    ImportedModel bi = ModelImports.read(DIR.resolve("bidirectional_keras2.h5"));
    assertTrue(((Sequential) bi.model()).layers().get(1) instanceof Bidirectional b && ((Gru) b.layer()).resetAfter());
    assertEquals("keras-weights-h5", ModelImports.read(DIR.resolve("lstm_keras3.weights.h5")).source().format());
    assertTrue(ModelImports.read(DIR.resolve("gru_tagger_keras2.h5")).notes().stream().anyMatch(n -> n.contains("dropout_1")));
  }

  @Test
  void layersWithoutAnEqualKindBecomeEquivalentOnes() {
    Sequential flat = (Sequential) ModelImports.read(DIR.resolve("flatten_keras2.h5")).model();
    assertEquals(new dev.rnnx.spec.Flatten("flatten", 6), flat.layers().get(1));
    assertEquals(6, flat.contract().input(Sequential.INPUT).axes().get(1).size()); // the time axis is fixed
    Sequential none = (Sequential) ModelImports.read(DIR.resolve("bidirectional_none_keras2.h5")).model();
    assertEquals(dev.rnnx.spec.MergeMode.CONCAT, ((Bidirectional) none.layers().get(0)).mergeMode());
    assertEquals(2, none.layers().size()); // the Concatenate is folded into the Bidirectional
    ImportedModel back = ModelImports.read(DIR.resolve("bidirectional_backwards_keras2.h5"));
    Bidirectional b = (Bidirectional) ((Sequential) back.model()).layers().get(0);
    assertTrue(b.reversed() && b.layer().goBackwards()); // Keras's forward half reads backwards: the spec says so itself
    assertTrue(back.notes().stream().noneMatch(n -> n.contains("parameters built from the file's")), back.notes().toString());
    assertEquals(dev.rnnx.spec.AttentionScore.GENERAL,
        ((dev.rnnx.spec.Attention) ((Sequential) ModelImports.read(DIR.resolve("scaled_attention_keras2.h5")).model()).layers().get(1))
            .score());
    ImportedModel additive = ModelImports.read(DIR.resolve("additive_attention_keras2.h5"));
    assertEquals(dev.rnnx.spec.AttentionScore.ADDITIVE,
        ((dev.rnnx.spec.Attention) ((Sequential) additive.model()).layers().get(1)).score());
    assertTrue(additive.notes().stream().anyMatch(n -> n.contains("parameters built from the file's")), additive.notes().toString());
  }

  @Test
  void maskingBecomesTheInputsMaskValue() {
    Sequential lstm = (Sequential) ModelImports.read(DIR.resolve("masking_lstm_keras2.h5")).model();
    assertEquals(0.0, lstm.input().maskValue());
    assertEquals(2, lstm.layers().size()); // Masking is no layer: the input carries it
    assertEquals(-1.0, ((Sequential) ModelImports.read(DIR.resolve("masking_gru_keras2.h5")).model()).input().maskValue());
    Sequential tokens = (Sequential) ModelImports.read(DIR.resolve("embedding_mask_zero_keras2.h5")).model();
    assertTrue(tokens.input().tokens() && tokens.input().maskValue() == 0.0);
    assertTrue(Double.isNaN(((Sequential) ModelImports.read(DIR.resolve("embedding_rnn_keras2.h5")).model()).input().maskValue()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "lambda.h5|layer 'lambda_1' is a Lambda layer: its code cannot be imported",
      "wrong_shape.h5|layer 'lstm_1' (LSTM) weight 1 (kernel) has shape [2, 12] in the file, but the config implies [2, 16]",
      "missing_layer.h5|layer 'dense_1' has no weights in the file",
      "unsupported_activation.h5|activation 'swish' is not supported, expected one of [linear, tanh",
      "truncated.h5|is not a readable HDF5 file",
      "keras1.h5|was written by Keras 1.2.2, whose recurrent weights are per gate",
      "truncated.keras|is not a readable zip",
      "flatten_dynamic.h5|layer 'flatten' (Flatten) flattens a sequence whose time axis is not fixed",
      "sequential_bidirectional_none.h5|layer 'bidirectional' (Bidirectional) has merge_mode None (two outputs)",
      "nested_functional.h5|layer 'inner' is a nested Functional model, which rnnx does not import",
      "nested_twice.h5|layer 'outer_encoder' nests model 'inner' in turn; rnnx flattens one level of nested Sequential models",
      "bidirectional_backward_layer.keras|layer 'bidirectional' (Bidirectional) has a backward_layer (SimpleRNN) configured unlike"})
  void badFilesAreRefusedNamingFileAndLayer(String file, String message) {
    Path p = DIR.resolve("bad").resolve(file);
    ImportException e = assertThrows(ImportException.class, () -> ModelImports.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void aWeightsOnlyFileNeedsItsConfig(@TempDir Path tmp) throws Exception {
    Path alone = tmp.resolve("model.weights.h5");
    Files.copy(DIR.resolve("lstm_keras3.weights.h5"), alone);
    ImportException e = assertThrows(ImportException.class, () -> ModelImports.read(alone));
    assertTrue(e.getMessage().contains(alone + ": holds weights but no model_config; give the model's config JSON"
        + " (model.to_json()) with --config FILE, or put it beside the file as model.json"), e.getMessage());
    ImportedModel m = ModelImports.read(alone, DIR.resolve("lstm_keras3.json"));
    assertTrue(maxError(m, "lstm_keras3") < 1e-5);
  }

  @Test
  void aKerasZipWithoutWeightsIsRefused(@TempDir Path tmp) throws Exception {
    Path zip = tmp.resolve("broken.keras");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("config.json"));
      out.write("{\"class_name\": \"Sequential\", \"config\": {\"layers\": []}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    ImportException e = assertThrows(ImportException.class, () -> ModelImports.read(zip));
    assertEquals(zip + ": the .keras archive has no model.weights.h5, expected config.json, metadata.json and model.weights.h5",
        e.getMessage());
    ImportException missing = assertThrows(ImportException.class, () -> ModelImports.read(tmp.resolve("none.h5")));
    assertTrue(missing.getMessage().startsWith(tmp.resolve("none.h5") + ": file does not exist"), missing.getMessage());
  }

  @Test
  void otherFilesAreRefused() {
    ImportException e = assertThrows(ImportException.class, () -> ModelImports.read(DIR.resolve("simple_lstm_input.npy")));
    assertTrue(e.getMessage().contains("rnnx imports Keras files"), e.getMessage());
  }
}
