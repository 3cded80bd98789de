package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blocked, parallel kernels ({@link RefKernels}, {@link RecurrentBatch}) against the naive
 * loops: products and attention bit for bit; recurrent layers within {@value #RECURRENT_TOLERANCE}
 * (their tanh is {@link RefMath#tanh}, at most 2 ulps from {@link Math#tanh}, see RefMathTest);
 * sigmoid-only paths stay bit for bit.
 */
class RefKernelsTest {

  /** Largest difference allowed between the naive and the blocked recurrent runs (values of order 1). */
  static final double RECURRENT_TOLERANCE = 1e-12;

  @AfterEach
  void blocked() {
    System.clearProperty(RefKernels.PROPERTY);
  }

  private static <T> T with(String kernels, Supplier<T> body) {
    if (kernels == null) {
      System.clearProperty(RefKernels.PROPERTY);
    } else {
      System.setProperty(RefKernels.PROPERTY, kernels);
    }
    try {
      return body.get();
    } finally {
      System.clearProperty(RefKernels.PROPERTY);
    }
  }

  private static double[] random(Random rnd, int n, boolean zeros) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = zeros && rnd.nextInt(5) == 0 ? 0.0 : rnd.nextGaussian();
    }
    return v;
  }

  @Test
  void linearEqualsNaiveOnOddShapes() {
    Random rnd = new Random(3);
    int[][] shapes = {{1, 1, 1}, {1, 7, 300}, {3, 5, 129}, {33, 17, 257}, {600, 64, 300}, {2048, 128, 128}};
    for (int[] s : shapes) {
      double[] x = random(rnd, s[0] * s[1], true);
      double[] w = random(rnd, s[1] * s[2], false);
      double[] b = rnd.nextBoolean() ? random(rnd, s[2], false) : null;
      double[] naive = with("naive", () -> RefMath.linear(x, s[0], s[1], w, s[2], b));
      double[] blocked = with(null, () -> RefMath.linear(x, s[0], s[1], w, s[2], b));
      assertArrayEquals(naive, blocked, 0.0, () -> "linear " + java.util.Arrays.toString(s));
    }
  }

  private static Weights weights(Random rnd, String prefix, int in, int units, int blocks, int biasSize, boolean peephole) {
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    m.put(prefix + "kernel", floats(rnd, in, blocks * units));
    m.put(prefix + "recurrent_kernel", floats(rnd, units, blocks * units));
    m.put(prefix + "bias", floats(rnd, biasSize));
    if (peephole) {
      m.put(prefix + "peephole", floats(rnd, 3 * units));
    }
    return new Weights(m);
  }

  private static FloatTensor floats(Random rnd, long... shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * 0.4);
    }
    return new FloatTensor(shape, v);
  }

  private static double[][] runBoth(RecurrentLayer layer, Weights weights, int batch, int time, int in, Random rnd,
      boolean lengths, boolean initial, boolean backwards) {
    double[] xs = random(rnd, batch * time * in, false);
    DoubleTensor x = new DoubleTensor(new long[] {batch, time, in}, xs);
    int[] lens = null;
    if (lengths) {
      lens = new int[batch];
      for (int b = 0; b < batch; b++) {
        lens[b] = 1 + rnd.nextInt(time);
      }
    }
    int states = layer instanceof Lstm ? 2 : 1;
    List<DoubleTensor> init = null;
    if (initial) {
      init = new ArrayList<>();
      for (int s = 0; s < states; s++) {
        init.add(new DoubleTensor(new long[] {batch, layer.units()}, random(rnd, batch * layer.units(), false)));
      }
    }
    int[] l = lens;
    List<DoubleTensor> i0 = init;
    double[][] out = new double[4][];
    for (int k = 0; k < 2; k++) {
      List<RecurrentTrace> trace = new ArrayList<>();
      RecurrentRun.Result r = with(k == 0 ? "naive" : null, () -> RecurrentRun.run(
          RecurrentCell.of(layer, "l/", weights, in), x, l, i0, backwards, true, "forward", trace));
      assertEquals(1, trace.size());
      double[] finals = r.finals()[states - 1];
      assertEquals(batch * layer.units(), finals.length);
      double[] gates = trace.get(0).gates().isEmpty() ? null : trace.get(0).gates().values().iterator().next().data();
      if (k == 0) {
        out[0] = r.sequence();
        out[1] = finals;
        out[2] = gates;
      } else {
        assertArrayEquals(out[0], r.sequence(), RECURRENT_TOLERANCE, layer + " sequence");
        assertArrayEquals(out[1], finals, RECURRENT_TOLERANCE, layer + " final state");
        if (out[2] != null) {
          assertArrayEquals(out[2], gates, RECURRENT_TOLERANCE, layer + " gate trace");
        }
      }
    }
    return out;
  }

  @Test
  void recurrentRunsEqualNaiveOnRandomShapes() {
    Random rnd = new Random(11);
    int[][] shapes = {{1, 1, 1, 1}, {1, 7, 3, 5}, {2, 4, 9, 13}, {5, 6, 17, 129}, {32, 9, 64, 256}, {3, 11, 1, 2}};
    for (int[] s : shapes) {
      int batch = s[0];
      int time = s[1];
      int in = s[2];
      int units = s[3];
      for (int variant = 0; variant < 4; variant++) {
        boolean lengths = (variant & 1) == 1;
        boolean back = (variant & 2) == 2;
        boolean init = variant == 3;
        boolean peep = variant == 2;
        Lstm lstm = Lstm.builder("l", units).peephole(peep).returnSequences(true).build();
        runBoth(lstm, weights(rnd, "l/", in, units, 4, 4 * units, peep), batch, time, in, rnd, lengths, init, back);
        for (boolean after : new boolean[] {true, false}) {
          Gru gru = Gru.builder("l", units).resetAfter(after).returnSequences(true).build();
          runBoth(gru, weights(rnd, "l/", in, units, 3, after ? 6 * units : 3 * units, false), batch, time, in, rnd, lengths,
              init, back);
        }
        SimpleRnn simple = SimpleRnn.builder("l", units).returnSequences(true).build();
        runBoth(simple, weights(rnd, "l/", in, units, 1, units, false), batch, time, in, rnd, lengths, init, back);
      }
    }
  }

  @Test
  void attentionEqualsNaive() {
    Random rnd = new Random(5);
    for (int[] s : new int[][] {{1, 3, 5, 2, 3}, {9, 17, 24, 4, 6}, {4, 64, 32, 4, 16}}) {
      int batch = s[0];
      int time = s[1];
      int d = s[2];
      int heads = s[3];
      int keyDim = s[4];
      int inner = heads * keyDim;
      Map<String, FloatTensor> m = new LinkedHashMap<>();
      for (String part : new String[] {"query", "key", "value"}) {
        m.put("a/" + part + "/kernel", floats(rnd, d, inner));
        m.put("a/" + part + "/bias", floats(rnd, inner));
      }
      m.put("a/output/kernel", floats(rnd, inner, d));
      m.put("a/output/bias", floats(rnd, d));
      Weights w = new Weights(m);
      DoubleTensor x = new DoubleTensor(new long[] {batch, time, d}, random(rnd, batch * time * d, true));
      int[] lens = new int[batch];
      for (int b = 0; b < batch; b++) {
        lens[b] = 1 + rnd.nextInt(time);
      }
      for (boolean causal : new boolean[] {false, true}) {
        MultiHeadAttentionForward.Result naive = with("naive",
            () -> MultiHeadAttentionForward.apply("a", heads, keyDim, x, x, lens, causal, w));
        MultiHeadAttentionForward.Result blocked = with(null,
            () -> MultiHeadAttentionForward.apply("a", heads, keyDim, x, x, lens, causal, w));
        assertArrayEquals(naive.output().data(), blocked.output().data(), 0.0, "attention output");
        assertArrayEquals(naive.weights().data(), blocked.weights().data(), 0.0, "attention weights");
      }
    }
  }

  @Test
  void attentionWithANonFiniteValueKeepsTheSkippingLoop() {
    Random rnd = new Random(11);
    int batch = 3;
    int time = 6;
    int d = 8;
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (String part : new String[] {"query", "key", "value"}) {
      m.put("a/" + part + "/kernel", floats(rnd, d, 8));
      m.put("a/" + part + "/bias", floats(rnd, 8));
    }
    float[] valueBias = m.get("a/value/bias").data().clone();
    valueBias[3] = Float.POSITIVE_INFINITY;
    m.put("a/value/bias", new FloatTensor(new long[] {8}, valueBias));
    m.put("a/output/kernel", floats(rnd, 8, d));
    m.put("a/output/bias", floats(rnd, d));
    Weights w = new Weights(m);
    DoubleTensor x = new DoubleTensor(new long[] {batch, time, d}, random(rnd, batch * time * d, false));
    int[] lens = {2, 6, 4};
    MultiHeadAttentionForward.Result naive = with("naive",
        () -> MultiHeadAttentionForward.apply("a", 2, 4, x, x, lens, true, w));
    MultiHeadAttentionForward.Result blocked = with(null,
        () -> MultiHeadAttentionForward.apply("a", 2, 4, x, x, lens, true, w));
    // masked keys get weight 0: adding 0 · ∞ would make the output NaN where the loop skips them
    assertArrayEquals(naive.output().data(), blocked.output().data(), 0.0, "attention output");
    assertEquals(false, java.util.Arrays.stream(blocked.output().data()).allMatch(Double::isNaN));
  }

  @Test
  void batchedGreedyDecodingEqualsDecodingEachSequenceAlone() {
    for (dev.rnnx.spec.Seq2Seq spec : new dev.rnnx.spec.Seq2Seq[] {Seq2SeqTest.rnn(dev.rnnx.spec.Cell.LSTM, null),
        Seq2SeqTest.rnn(dev.rnnx.spec.Cell.GRU, null),
        Seq2SeqTest.rnn(dev.rnnx.spec.Cell.LSTM, dev.rnnx.spec.AttentionScore.values()[0])}) {
      boolean early = false;
      boolean full = false;
      // EOS made more and more likely: decoding to the end, then stopping early
      for (float eos = 0; eos <= 3; eos += 0.25f) {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>(Seq2SeqTest.weights(spec, 4).tensors());
        float[] bias = tensors.get("output/bias").data().clone();
        bias[dev.rnnx.spec.SpecialTokens.EOS] += eos;
        tensors.put("output/bias", new FloatTensor(new long[] {bias.length}, bias));
        java.util.Set<Integer> ends = greedyAloneAndBatched(new RefSeq2Seq(spec, new Weights(tensors)));
        early |= ends.stream().anyMatch(n -> n < Seq2SeqTest.MAX_T);
        full |= ends.contains(Seq2SeqTest.MAX_T);
      }
      assertEquals(true, early && full, spec.name() + ": both stopping at EOS and decoding to the end");
    }
  }

  /** Asserts batched greedy tokens equal each sequence's own greedy decoding; returns the decoded lengths. */
  private static java.util.Set<Integer> greedyAloneAndBatched(RefSeq2Seq ref) {
    int batch = 11;
    Random rnd = new Random(13);
    long[] ids = new long[batch * Seq2SeqTest.MAX_S];
    long[] lengths = new long[batch];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rnd.nextInt(Seq2SeqTest.VS);
    }
    for (int b = 0; b < batch; b++) {
      lengths[b] = 1 + rnd.nextInt(Seq2SeqTest.MAX_S);
    }
    dev.rnnx.spec.LongTensor src = dev.rnnx.spec.LongTensor.of(ids, batch, Seq2SeqTest.MAX_S);
    dev.rnnx.spec.LongTensor len = dev.rnnx.spec.LongTensor.of(lengths, batch);
    DoubleTensor tokens = ref.greedy(src, len);
    RefSeq2Seq.Encoded e = ref.encode(src, len);
    int[] lens = len.toIntArray();
    java.util.Set<Integer> ends = new java.util.HashSet<>();
    for (int b = 0; b < batch; b++) {
      int[] alone = dev.rnnx.decode.Greedy.decode(ref.decoder(e, lens, b), Seq2SeqTest.MAX_T);
      for (int t = 0; t < Seq2SeqTest.MAX_T; t++) {
        assertEquals(t < alone.length ? alone[t] : 0, tokens.at(b, t), "sequence " + b + " step " + t);
      }
      ends.add(alone.length);
    }
    return ends;
  }
}
