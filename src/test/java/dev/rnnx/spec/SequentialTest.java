package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialTest {

  @Test
  void shapesAndParameterCountsMatchKeras() {
    Sequential m = new Sequential("m", 1, List.of(Lstm.of("lstm", 20, false), new Dense("dense", 1, Activation.LINEAR, true)));
    // Keras: LSTM(20) on 1 feature has 4*20*(1+20+1) = 1760 parameters, Dense(1) 21.
    assertEquals(1781, m.parameterCount());
    assertEquals(List.of(Shape.of(-1, -1, 1), Shape.of(-1, 20)), m.layerInputShapes());
    assertEquals(List.of(new TensorSpec("output", Shape.of(-1, 1))), m.outputs());
    assertEquals("(None, 20)", Shape.of(-1, 20).toString());
  }

  @Test
  void returnStateAddsNamedStateOutputs() {
    Sequential m = new Sequential("m", 3, List.of(
        Lstm.of("a", 5, true),
        new Lstm("b", 4, true, true, Activation.TANH, Activation.SIGMOID, true)));
    assertEquals(List.of(
        new TensorSpec("output", Shape.of(-1, -1, 4)),
        new TensorSpec("state_h", Shape.of(-1, 4)),
        new TensorSpec("state_c", Shape.of(-1, 4))), m.outputs());
    assertEquals(List.of("a/kernel", "a/recurrent_kernel", "a/bias", "b/kernel", "b/recurrent_kernel", "b/bias"),
        m.parameters().stream().map(ParameterSpec::name).toList());
  }

  @Test
  void duplicateNamesAndBadSizesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sequential("m", 1,
        List.of(Lstm.of("x", 2, true), Lstm.of("x", 2, false))));
    assertThrows(IllegalArgumentException.class, () -> new Sequential("m", 0, List.of(Lstm.of("x", 2, false))));
    assertThrows(IllegalArgumentException.class, () -> new Sequential("m", 1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Dense("d", 0, Activation.LINEAR, true));
    assertThrows(IllegalArgumentException.class, () -> new Dense("1d", 1, Activation.LINEAR, true));
    assertThrows(IllegalArgumentException.class, () -> Activation.fromName("gelu"));
  }
}
