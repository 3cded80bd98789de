package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gate orders from {@code converters/gate-orders.yaml}: known cases and round trips. */
class GateLayoutTest {

  private static final GateLayout GATES = GateLayout.load();

  @Test
  void readsTheConventionsFromTheConvertersFolder() {
    assertEquals(List.of("keras", "tf", "onnx", "pytorch"), GATES.conventions());
    assertEquals(List.of("i", "f", "c", "o"), GATES.gates("keras", "lstm"));
    assertEquals(List.of("i", "o", "f", "c"), GATES.gates("onnx", "lstm"));
    assertEquals(List.of("i", "f", "g", "o"), GATES.gates("pytorch", "lstm"));
    assertEquals(List.of("i", "f", "c", "o"), GATES.roles("pytorch", "lstm"));
    assertEquals(List.of("z", "r", "h"), GATES.gates("onnx", "gru"));
    assertEquals(List.of("r", "z", "n"), GATES.gates("pytorch", "gru"));
    assertEquals(List.of("r", "z", "h"), GATES.roles("pytorch", "gru"));
    assertEquals(List.of("in", "gates"), GATES.kernelAxes("keras"));
    assertEquals(List.of("dirs", "gates", "in"), GATES.kernelAxes("onnx"));
    assertEquals(List.of("h"), GATES.gates("keras", "rnn"));
    assertEquals(List.of("i", "f", "o"), GATES.gates("keras", GateLayout.PEEPHOLE));
    assertEquals(List.of("i", "o", "f"), GATES.gates("onnx", GateLayout.PEEPHOLE));
    assertTrue(GATES.has("tf", GateLayout.PEEPHOLE));
    assertFalse(GATES.has("pytorch", GateLayout.PEEPHOLE), "PyTorch has no peephole LSTM");
  }

  @Test
  void peepholesSimpleRnnsAndGruBiases() {
    // H = 2: Keras peephole [i, f, o] -> ONNX P [1, 3H] in i, o, f
    FloatTensor p = GATES.onnxPeephole(FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 6), "keras");
    assertArrayEquals(new long[] {1, 6}, p.shape());
    assertArrayEquals(new float[] {1, 2, 5, 6, 3, 4}, p.data());
    assertArrayEquals(new int[] {0, 2, 1}, GATES.permutation(GateLayout.PEEPHOLE, "keras", "onnx"));
    // a simple RNN has one block: its kernel is only transposed
    FloatTensor w = GATES.convertKernel(FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2), "rnn", "keras", "onnx");
    assertArrayEquals(new long[] {1, 2, 3}, w.shape());
    assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, w.data());
    // Keras's GRU with reset_after keeps a recurrent bias: ONNX's second half
    FloatTensor b = GATES.onnxBias(FloatTensor.of(new float[] {1, 2, 3}, 3), FloatTensor.of(new float[] {4, 5, 6}, 3), "gru",
        "keras");
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, b.data());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GATES.onnxBias(
        FloatTensor.of(new float[4], 4), FloatTensor.of(new float[4], 4), "lstm", "keras"));
    assertEquals("keras keeps one bias per lstm, got a recurrent bias as well", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GATES.onnxPeephole(FloatTensor.of(new float[3], 3), "pytorch"));
    assertEquals("unknown cell 'lstm_peephole' in convention 'pytorch', expected one of [lstm, gru, rnn]", e.getMessage());
  }

  @Test
  void knownPermutations() {
    assertArrayEquals(new int[] {0, 3, 1, 2}, GATES.permutation("lstm", "keras", "onnx")); // i o f c from i f c o
    assertArrayEquals(new int[] {0, 2, 3, 1}, GATES.permutation("lstm", "onnx", "keras"));
    assertArrayEquals(new int[] {0, 1, 2, 3}, GATES.permutation("lstm", "pytorch", "keras")); // g is c
    assertArrayEquals(new int[] {0, 3, 1, 2}, GATES.permutation("lstm", "pytorch", "onnx"));
    assertArrayEquals(new int[] {0, 1, 2}, GATES.permutation("gru", "keras", "onnx"));
    assertArrayEquals(new int[] {1, 0, 2}, GATES.permutation("gru", "keras", "pytorch")); // r z n from z r h
  }

  @Test
  void permutationsRoundTripForEveryPairOfConventions() {
    for (String cell : List.of("lstm", "gru", "rnn", GateLayout.PEEPHOLE)) {
      for (String a : GATES.conventions()) {
        for (String b : GATES.conventions()) {
          if (!GATES.has(a, cell) || !GATES.has(b, cell)) {
            continue;
          }
          int[] there = GATES.permutation(cell, a, b);
          int[] back = GATES.permutation(cell, b, a);
          for (int k = 0; k < there.length; k++) {
            assertEquals(k, there[back[k]], cell + " " + a + " -> " + b + " -> " + a);
          }
        }
      }
    }
  }

  @Test
  void knownBiasReorder() {
    // H = 2, Keras blocks i=[1,2] f=[3,4] c=[5,6] o=[7,8] -> ONNX i o f c
    float[] keras = {1, 2, 3, 4, 5, 6, 7, 8};
    assertArrayEquals(new float[] {1, 2, 7, 8, 3, 4, 5, 6}, GATES.reorderGates(keras, "lstm", "keras", "onnx"));
    FloatTensor b = GATES.onnxBias(FloatTensor.of(keras, 8), null, "lstm", "keras");
    assertArrayEquals(new long[] {1, 16}, b.shape());
    assertArrayEquals(new float[] {1, 2, 7, 8, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0}, b.data());
    FloatTensor pt = GATES.onnxBias(FloatTensor.of(keras, 8), FloatTensor.of(keras, 8), "lstm", "pytorch");
    assertArrayEquals(new float[] {1, 2, 7, 8, 3, 4, 5, 6, 1, 2, 7, 8, 3, 4, 5, 6}, pt.data());
  }

  @Test
  void knownKernelConversion() {
    // Keras kernel [in=2, 4H=4] with H=1: row k = input feature k, columns gates i f c o.
    FloatTensor keras = FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
    FloatTensor w = GATES.convertKernel(keras, "lstm", "keras", "onnx");
    assertArrayEquals(new long[] {1, 4, 2}, w.shape());
    // ONNX W[0][gate row][feature], gate rows i o f c
    assertArrayEquals(new float[] {1, 5, 4, 8, 2, 6, 3, 7}, w.data());
    FloatTensor torch = GATES.convertKernel(keras, "lstm", "keras", "pytorch");
    assertArrayEquals(new long[] {4, 2}, torch.shape());
    assertArrayEquals(new float[] {1, 5, 2, 6, 3, 7, 4, 8}, torch.data());
  }

  @Test
  void kernelsRoundTripThroughEveryConvention() {
    Random random = new Random(5);
    float[] data = new float[3 * 4 * 5];
    for (int i = 0; i < data.length; i++) {
      data[i] = random.nextFloat();
    }
    FloatTensor keras = FloatTensor.of(data, 3, 20); // in = 3, H = 5
    for (String other : GATES.conventions()) {
      FloatTensor there = GATES.convertKernel(keras, "lstm", "keras", other);
      assertEquals(keras, GATES.convertKernel(there, "lstm", other, "keras"), other);
    }
    FloatTensor gru = FloatTensor.of(java.util.Arrays.copyOf(data, 3 * 15), 3, 15);
    assertEquals(gru, GATES.convertKernel(GATES.convertKernel(gru, "gru", "keras", "pytorch"), "gru", "pytorch", "keras"));
  }

  @Test
  void mistakesAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GATES.gates("caffe", "lstm"));
    assertEquals("unknown gate convention 'caffe', expected one of [keras, tf, onnx, pytorch]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GATES.reorderGates(new float[7], "lstm", "keras", "onnx"));
    assertTrue(e.getMessage().contains("expected a positive multiple of 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GATES.convertKernel(FloatTensor.zeros(2, 2, 8), "lstm", "onnx", "keras"));
    assertTrue(e.getMessage().contains("2 directions"), e.getMessage());
  }

  @Test
  void conventionsThatDisagreeOnTheGatesAreRefused() throws Exception {
    String yaml = """
        conventions:
          a: {lstm: [i, f, c, o], gru: [z, r, h], kernel: [in, gates], bias: input}
          b: {lstm: [i, f, x, o], gru: [z, r, h], kernel: [gates, in], bias: input}
        """;
    var root = ConverterData.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> GateLayout.parse(root, "test.yaml"));
    assertTrue(e.getMessage().startsWith("test.yaml: convention 'b' has lstm gates [i, f, x, o]"), e.getMessage());
  }

  @Test
  void badBiasStylesAreRefused() throws Exception {
    String yaml = """
        conventions:
          a: {lstm: [i, f, c, o], gru: [z, r, h], kernel: [in, gates], bias: {lstm: [input], gru: [both]}}
        """;
    var root = ConverterData.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> GateLayout.parse(root, "test.yaml"));
    assertEquals("test.yaml: conventions.a.bias gives gru the styles [both], expected 'input' or 'input_and_recurrent'",
        e.getMessage());
    String missing = """
        conventions:
          a: {lstm: [i, f, c, o], gru: [z, r, h], kernel: [in, gates], bias: {lstm: input}}
        """;
    var root2 = ConverterData.parse(new ByteArrayInputStream(missing.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    e = assertThrows(IllegalStateException.class, () -> GateLayout.parse(root2, "test.yaml"));
    assertEquals("test.yaml: conventions.a.bias has no entry for cell 'gru'", e.getMessage());
  }
}
