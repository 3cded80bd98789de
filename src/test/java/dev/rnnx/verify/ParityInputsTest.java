package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Flatten;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParityInputsTest {

  static final Sequential FEATURES = new Sequential("f", 2, List.of(Lstm.of("l", 3, false)));

  /** Tokens with lengths and initial states for both directions of a bidirectional LSTM. */
  static final Sequential TOKENS = new Sequential("t", ModelInput.ofTokens().withLengths(), List.of(
      new Embedding("e", 11, 4, Initializer.EMBEDDING),
      new Bidirectional("bi", Lstm.builder("x", 3).stateInputs(true).returnSequences(true).build(), MergeMode.CONCAT),
      Gru.builder("g", 5).stateInputs(true).build(),
      new Dense("d", 2, Activation.SOFTMAX, true)));

  @Test
  void standardGridIsBatchOneAndSevenTimesLengthsOneTAndFourT() {
    List<ParityCase> cases = ParityInputs.standard(FEATURES, 5, 1);
    assertEquals(List.of("batch1_len1", "batch1_len5", "batch1_len20", "batch7_len1", "batch7_len5", "batch7_len20"),
        cases.stream().map(ParityCase::name).toList());
    Tensor x = cases.get(5).inputs().get("input");
    assertArrayEquals(new long[] {7, 20, 2}, x.shape());
    assertEquals(Set.of("input"), cases.get(0).inputs().keySet());
    // unchanged for plain float models: the first value is the seed's first Gaussian
    assertEquals((float) new Random(1).nextGaussian(), ((FloatTensor) cases.get(0).inputs().get("input")).data()[0]);
    assertEquals(4, ParityInputs.standard(FEATURES, 1, 1).size(), "lengths 1, 1, 4 collapse to 1, 4");
  }

  @Test
  void aFixedTimeAxisIsTheOnlyLengthOfTheStandardGrid() {
    Sequential flat = new Sequential("flat", 3, List.of(Lstm.of("l", 4, true), new Flatten("f", 6),
        new Dense("d", 2, Activation.LINEAR, true)));
    List<ParityCase> cases = ParityInputs.standard(flat, 12, 1);
    assertEquals(List.of("batch1_len6", "batch7_len6"), cases.stream().map(ParityCase::name).toList());
    assertArrayEquals(new long[] {7, 6, 3}, cases.get(1).inputs().get("input").shape());
    assertEquals(2, ParityInputs.saturating(flat, 12, 1).size());
  }

  @Test
  void everyDeclaredInputIsGeneratedAndPassesTheModelsChecks() {
    List<ParityCase> cases = ParityInputs.standard(TOKENS, 6, 3);
    assertEquals(6, cases.size());
    Weights w = weights(TOKENS);
    ReferenceModel ref = new ReferenceModel(TOKENS, w);
    for (ParityCase c : cases) {
      assertEquals(List.of("input", "lengths", "bi_forward_h0", "bi_forward_c0", "bi_backward_h0", "bi_backward_c0", "g_h0"),
          List.copyOf(c.inputs().keySet()), c.name());
      long batch = TOKENS.contract().check(c.inputs()).get("batch");
      assertArrayEquals(new long[] {batch, 3}, c.inputs().get("bi_backward_c0").shape(), c.name());
      assertArrayEquals(new long[] {batch, 5}, c.inputs().get("g_h0").shape(), c.name());
      assertTrue(ref.forward(c.inputs()).get("output").size() > 0);
    }
  }

  @Test
  void tokenIdsCoverTheVocabulary() {
    Set<Long> ids = new HashSet<>();
    for (ParityCase c : ParityInputs.standard(TOKENS, 6, 4)) {
      for (long id : ((LongTensor) c.inputs().get("input")).data()) {
        assertTrue(id >= 0 && id < 11, "id " + id);
        ids.add(id);
      }
    }
    assertEquals(11, ids.size(), "every id 0 … 10 appears");
  }

  @Test
  void lengthsMixOneTAndInBetweenForBatchesAndAreFullForOneSequence() {
    for (ParityCase c : ParityInputs.standard(TOKENS, 6, 5)) {
      long[] l = ((LongTensor) c.inputs().get("lengths")).data();
      int time = (int) c.inputs().get("input").dim(1);
      if (l.length == 1) {
        assertArrayEquals(new long[] {time}, l, c.name());
      } else {
        long[] sorted = l.clone();
        Arrays.sort(sorted);
        assertEquals(1, sorted[0], c.name());
        assertEquals(time, sorted[sorted.length - 1], c.name());
        for (long v : l) {
          assertTrue(v >= 1 && v <= time);
        }
      }
    }
    long[] many = ParityInputs.lengths(200, 24, new Random(6));
    Set<Long> distinct = new HashSet<>();
    for (long v : many) {
      distinct.add(v);
    }
    assertTrue(distinct.size() > 20, "lengths spread over 1 … T: " + distinct);
    Set<Integer> positionsOfOne = new HashSet<>();
    Random r = new Random(8);
    for (int k = 0; k < 20; k++) {
      long[] l = ParityInputs.lengths(7, 24, r);
      for (int i = 0; i < 7; i++) {
        if (l[i] == 1) {
          positionsOfOne.add(i);
        }
      }
    }
    assertTrue(positionsOfOne.size() > 3, "the forced lengths sit at shuffled positions: " + positionsOfOne);
  }

  @Test
  void statesAndFeaturesAreStandardNormalAndSaturatingIsThreeTimesWider() {
    assertEquals(1.0, std(ParityInputs.standard(TOKENS, 20, 7), "bi_backward_c0"), 0.1);
    assertEquals(1.0, std(ParityInputs.standard(FEATURES, 20, 7), "input"), 0.05);
    List<ParityCase> sat = ParityInputs.saturating(FEATURES, 20, 7);
    assertEquals(3.0, std(sat, "input"), 0.15);
    assertEquals(3.0, std(ParityInputs.saturating(TOKENS, 20, 7), "g_h0"), 0.3);
    assertEquals("batch7_len80_sigma3", sat.get(5).name());
    assertEquals("batch1_len1_sigma2.5",
        ParityInputs.grid(FEATURES, List.of(1), List.of(1), 1, 2.5).get(0).name());
  }

  @Test
  void sameSeedSameInputs() {
    List<ParityCase> a = ParityInputs.standard(TOKENS, 4, 9);
    List<ParityCase> b = ParityInputs.standard(TOKENS, 4, 9);
    List<ParityCase> c = ParityInputs.standard(TOKENS, 4, 10);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).inputs(), b.get(i).inputs());
    }
    assertNotEquals(a.get(4).inputs(), c.get(4).inputs());
  }

  @Test
  void badGridsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ParityInputs.grid(FEATURES, List.of(0), List.of(3), 1));
    assertThrows(IllegalArgumentException.class, () -> ParityInputs.grid(FEATURES, List.of(1), List.of(0), 1));
    assertThrows(IllegalArgumentException.class, () -> ParityInputs.grid(FEATURES, List.of(1), List.of(1), 1, 0));
    assertThrows(IllegalArgumentException.class, () -> ParityInputs.standard(FEATURES, 0, 1));
  }

  private static double std(List<ParityCase> cases, String input) {
    double s = 0;
    double s2 = 0;
    long n = 0;
    for (ParityCase c : cases) {
      for (float v : ((FloatTensor) c.inputs().get(input)).data()) {
        s += v;
        s2 += v * v;
        n++;
      }
    }
    double mean = s / n;
    return Math.sqrt(s2 / n - mean * mean);
  }

  private static Weights weights(Sequential m) {
    Random rnd = new Random(1);
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    for (ParameterSpec p : m.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.3);
      }
      t.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    return new Weights(t);
  }
}
