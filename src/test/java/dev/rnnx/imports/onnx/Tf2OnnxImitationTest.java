package dev.rnnx.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.imports.ImportedModel;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The IMITATIONS of tf2onnx's output in {@code src/test/fixtures/tf2onnx} (its
 * {@code make_imitations.py} builds with python3-onnx the node patterns tf2onnx's rewriters write
 * for Keras LSTM, Bidirectional LSTM, TensorFlow's GRUCell, Embedding and Dense, with numpy's
 * Keras numbers; no real tf2onnx file can be made without TensorFlow): each lifts into the layers
 * Keras had, and on every recorded set (batch sizes and lengths the graph does not fix) the imported
 * model's reference forward and the original graph on the pure-Java ONNX evaluator both give numpy's
 * numbers within 1e-5.
 */
class Tf2OnnxImitationTest {

  private static final Path ROOT = Path.of("src/test/fixtures/tf2onnx");

  static Stream<Arguments> imitations() {
    Map<String, Consumer<List<Layer>>> layers = Map.of(
        "keras_lstm_sequences", l -> assertLayer(l.get(0), Lstm.class, "lstm", 4, true),
        "keras_lstm_dense", l -> {
          assertLayer(l.get(0), Lstm.class, "lstm", 4, false);
          assertEquals(new Dense(l.get(1).name(), 3, Activation.SOFTMAX, true), l.get(1));
        },
        "tf_gru_cell", l -> {
          assertLayer(l.get(0), Gru.class, "gru", 4, true);
          assertEquals(false, ((Gru) l.get(0)).resetAfter());
        },
        "keras_bilstm_sequences", l -> {
          Bidirectional b = (Bidirectional) l.get(0);
          assertEquals(MergeMode.CONCAT, b.mergeMode());
          assertLayer(b.layer(), Lstm.class, "lstm", 3, true);
        },
        "keras_bilstm_dense", l -> {
          Bidirectional b = (Bidirectional) l.get(0);
          assertEquals(MergeMode.CONCAT, b.mergeMode());
          assertLayer(b.layer(), Lstm.class, "lstm", 3, false);
          assertEquals(new Dense(l.get(1).name(), 2, Activation.LINEAR, true), l.get(1));
        },
        "keras_embedding_lstm", l -> {
          assertEquals("embedding", l.get(0).kind());
          assertLayer(l.get(1), Lstm.class, "lstm", 5, false);
          assertEquals(new Dense(l.get(2).name(), 1, Activation.SIGMOID, true), l.get(2));
        });
    return layers.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .flatMap(e -> Stream.of(13, 15).map(opset -> Arguments.of(e.getKey(), opset, e.getValue())));
  }

  private static void assertLayer(Layer layer, Class<?> type, String kind, int units, boolean sequences) {
    assertTrue(type.isInstance(layer), layer.toString());
    dev.rnnx.spec.RecurrentLayer r = (dev.rnnx.spec.RecurrentLayer) layer;
    assertEquals(kind, r.kind());
    assertEquals(units, r.units());
    assertEquals(sequences, r.returnSequences(), layer.toString());
    assertEquals(false, r.goBackwards());
  }

  @ParameterizedTest(name = "{0} opset {1}")
  @MethodSource("imitations")
  void liftsIntoKerasLayersWithKerasNumbers(String name, int opset, Consumer<List<Layer>> layers) throws IOException {
    Path folder = ROOT.resolve(name + "_opset" + opset);
    ImportedModel imported = new OnnxImporter().read(folder.resolve("model.onnx"));
    assertEquals("tf2onnx", imported.source().framework());
    Sequential model = (Sequential) imported.model();
    layers.accept(model.layers().stream().map(l -> l instanceof dev.rnnx.spec.TimeDistributed t ? t.asDense() : l).toList());
    ReferenceForm ref = ReferenceForms.form(model, imported.weights(), ModelForm.MODEL);
    OnnxEvaluator original = new OnnxEvaluator(OnnxModels.read(folder.resolve("model.onnx")));
    List<Path> sets;
    try (Stream<Path> s = Files.list(folder)) {
      sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
    }
    assertEquals(4, sets.size());
    for (Path dir : sets) {
      TestDataSet set = TestDataSet.read(dir);
      TypedTensor in = set.inputs().values().iterator().next();
      FloatTensor want = set.outputs().values().iterator().next().toFloat();
      FloatTensor mine = ref.run(Map.of(Sequential.INPUT, in.toTensor())).get(model.outputs().get(0).name());
      assertTrue(TorchFixtures.maxAbs(mine, want) <= 1e-5, dir + ": imported model, max abs error "
          + TorchFixtures.maxAbs(mine, want));
      Value fed = in.type().isFloating() ? Value.ofFloats(in.shape(), in.toFloat().data())
          : Value.ofInt32(in.shape(), Arrays.stream(in.longs()).mapToInt(v -> (int) v).toArray());
      Value out = original.run(Map.of(original.inputNames().get(0), fed)).values().iterator().next();
      FloatTensor theirs = new FloatTensor(out.shape(), out.toFloatArray());
      assertTrue(TorchFixtures.maxAbs(theirs, want) <= 1e-5, dir + ": the imitation itself on the ONNX evaluator, max abs"
          + " error " + TorchFixtures.maxAbs(theirs, want));
    }
  }
  @org.junit.jupiter.api.Test
  void aMaskedKerasLstmAndALastStepReadPastTheLengthsAreRefusedByName() {
    Path masked = ROOT.resolve("keras_masked_lstm_opset13/model.onnx");
    dev.rnnx.imports.ImportException e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.rnnx.imports.ImportException.class, () -> new OnnxImporter().read(masked));
    assertTrue(e.getMessage().startsWith(masked + ": node 'sequential/masking/NotEqual__equal' (Equal): op Equal is not"
        + " supported here"), e.getMessage());
    Path last = ROOT.resolve("tf_lstm_lengths_last_opset13/model.onnx");
    e = org.junit.jupiter.api.Assertions.assertThrows(dev.rnnx.imports.ImportException.class,
        () -> new OnnxImporter().read(last));
    assertTrue(e.getMessage().startsWith(last + ": node 'sequential/lstm/strided_slice_3' (Slice): takes the last step"
        + " Y[-1] of a sequence whose recurrent node reads sequence_lens"), e.getMessage());
  }
}
