package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.LayerYaml;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.TfForms;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@link Bidirectional} around a {@code go_backwards} layer (Keras's halves swapped, a sequence in
 * reverse time order; {@link Bidirectional#reversed()}): every merge mode, sequence and last output,
 * with and without lengths, on ONNX Runtime and the ONNX evaluator ({@link Parity}), the reference
 * forward and the TensorFlow serving graph, each against {@link KerasOracle}'s literal
 * {@code merge(y, reverse(y_rev))} within 1e-5.
 */
class ReversedBidirectionalParityTest {

  private static final int BATCH = 6;
  private static final int TIME = 6;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    int k = 0;
    for (MergeMode merge : MergeMode.values()) {
      for (boolean seq : new boolean[] {true, false}) {
        boolean lengths = k % 2 == 0;
        RecurrentLayer inner = switch (k % 3) {
          case 0 -> Lstm.builder("inner", 4).returnSequences(seq).goBackwards(true).build();
          case 1 -> Gru.builder("inner", 4).returnSequences(seq).goBackwards(true).build();
          default -> SimpleRnn.builder("inner", 5).returnSequences(seq).goBackwards(true).build();
        };
        k++;
        String label = inner.kind() + " go_backwards " + merge.recipeName() + (seq ? " sequences" : " last")
            + (lengths ? " lengths" : "");
        ModelInput input = lengths ? ModelInput.ofFeatures(3).withLengths() : ModelInput.ofFeatures(3);
        cases.add(Arguments.of(label, new Sequential("bi", input, List.of(new Bidirectional("bi", inner, merge)))));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyFaceGivesKerasOutputs(String label, Sequential model) throws Exception {
    Weights w = TestModels.randomWeights(model, label.hashCode(), 1.0);
    Map<String, Tensor> inputs = TestModels.randomInputs(model, BATCH, TIME, label.hashCode() * 31L);
    Parity.check(label, model, w, inputs, 17);
    KerasOracle.Tensor want = KerasOracle.run(model, w, inputs).get("output");
    DoubleTensor ref = ReferenceForms.of(model, w).get(ModelForm.MODEL).forward(inputs).get("output");
    assertArrayEquals(want.shape(), ref.shape(), label);
    FloatTensor tf;
    try (TfForms forms = TfForms.build(model, w)) {
      tf = forms.form(ModelForm.MODEL).run(inputs).get("output");
    }
    for (int i = 0; i < want.data().length; i++) {
      assertEquals(want.data()[i], ref.data()[i], 1e-9, label + ": ref at " + i);
      assertEquals(want.data()[i], tf.data()[i], 1e-5, label + ": tf at " + i);
    }
  }

  @Test
  void theGoBackwardsSurvivesTheRecipeAndTheMergeIsNotTheUnreversedOne() throws Exception {
    Bidirectional b = new Bidirectional("bi", Gru.builder("inner", 3).returnSequences(true).goBackwards(true).build(),
        MergeMode.CONCAT);
    assertEquals(b, LayerYaml.read(LayerYaml.write(b)));
    assertTrue(b.reversed() && b.readsBackwards("forward") && !b.readsBackwards("backward"));
    Sequential reversed = new Sequential("bi", ModelInput.ofFeatures(3), List.of(b));
    Sequential plain = new Sequential("bi", ModelInput.ofFeatures(3), List.of(new Bidirectional("bi",
        Gru.builder("inner", 3).returnSequences(true).build(), MergeMode.CONCAT)));
    Weights w = TestModels.randomWeights(reversed, 5, 1.0);
    Map<String, Tensor> inputs = TestModels.randomInputs(reversed, 2, 4, 6);
    double[] r = ReferenceForms.of(reversed, w).get(ModelForm.MODEL).forward(inputs).get("output").data();
    Map<String, FloatTensor> swapped = new java.util.LinkedHashMap<>(); // the plain layer's forward half = the reversed's backward
    for (String name : w.names()) {
      swapped.put(name.contains("/forward/") ? name.replace("/forward/", "/backward/") : name.replace("/backward/", "/forward/"),
          w.get(name));
    }
    double[] p = ReferenceForms.of(plain, new Weights(swapped)).get(ModelForm.MODEL).forward(inputs).get("output").data();
    // Keras: entry t of the reversed layer is the plain layer's step T−1−t with its halves swapped, [backward, forward]
    int h = 3;
    for (int n = 0; n < 2; n++) {
      for (int t = 0; t < 4; t++) {
        for (int j = 0; j < h; j++) {
          assertEquals(p[((n * 4 + 3 - t) * 2 * h) + h + j], r[(n * 4 + t) * 2 * h + j], 1e-12);
          assertEquals(p[((n * 4 + 3 - t) * 2 * h) + j], r[(n * 4 + t) * 2 * h + h + j], 1e-12);
        }
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional("bi",
        Lstm.builder("inner", 3).goBackwards(true).returnState(true).build(), MergeMode.SUM));
    assertTrue(e.getMessage().contains("go_backwards together with return_state"), e.getMessage());
  }
}
