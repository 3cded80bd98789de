package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.Decoder;
import dev.rnnx.decode.Greedy;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.spec.Cell;
import dev.rnnx.weights.Weights;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key-value-cached Transformer decoder against the decoder that reruns the whole prefix. */
class TransformerKvCacheTest {

  static final int VS = 11;
  static final int VT = 12;
  static final int MAX_T = 20;
  static final long[] LENGTHS = {9, 3, 6};

  static Seq2Seq model() {
    return new Seq2Seq("kv", VS, VT, 8, new TransformerStack(2, 2, 10, 1e-3), new TransformerStack(3, 4, 9, 1e-3), 9, MAX_T);
  }

  static RefSeq2Seq.Encoded encoded(RefSeq2Seq ref, long seed) {
    Random r = new Random(seed);
    long[] ids = new long[LENGTHS.length * 9];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(VS);
    }
    return ref.encode(LongTensor.of(ids, LENGTHS.length, 9), LongTensor.of(LENGTHS.clone(), LENGTHS.length));
  }

  static int[] lengths() {
    int[] l = new int[LENGTHS.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = (int) LENGTHS[i];
    }
    return l;
  }

  @Test
  void teacherForcedLogProbsMatchTheUncachedDecoderAtEveryPosition() {
    Seq2Seq spec = model();
    RefSeq2Seq ref = new RefSeq2Seq(spec, RefFixtures.weights(spec, 3, 0.6));
    RefSeq2Seq.Encoded e = encoded(ref, 5);
    Random r = new Random(7);
    int[] tokens = new int[MAX_T];
    for (int t = 0; t < tokens.length; t++) {
      tokens[t] = t == 0 ? 1 : r.nextInt(VT);
    }
    for (int b = 0; b < LENGTHS.length; b++) {
      double[][] plain = ref.decoder(e, lengths(), b).follow(tokens);
      double[][] cached = ref.cachedDecoder(e, lengths(), b).follow(tokens);
      for (int t = 0; t < MAX_T; t++) {
        assertArrayEquals(plain[t], cached[t], 1e-12, "sequence " + b + " position " + t);
      }
      // the log-probabilities are not trivially equal across positions
      assertTrue(Math.abs(plain[0][3] - plain[MAX_T - 1][3]) > 1e-6);
    }
  }

  @Test
  void greedyAndBeamSearchProduceTheSameHypotheses() {
    Seq2Seq spec = model();
    for (long seed = 1; seed <= 3; seed++) {
      RefSeq2Seq ref = new RefSeq2Seq(spec, RefFixtures.weights(spec, seed, 0.8));
      RefSeq2Seq.Encoded e = encoded(ref, seed + 10);
      for (int b = 0; b < LENGTHS.length; b++) {
        Decoder<Object> plain = ref.decoder(e, lengths(), b);
        Decoder<Object> cached = ref.cachedDecoder(e, lengths(), b);
        assertArrayEquals(Greedy.decode(plain, MAX_T), Greedy.decode(cached, MAX_T));
        for (int width : new int[] {1, 4}) {
          BeamSearch.Result p = BeamSearch.search(plain, width, 0.6, MAX_T);
          BeamSearch.Result c = BeamSearch.search(cached, width, 0.6, MAX_T);
          assertEquals(p.finished().size(), c.finished().size());
          for (int i = 0; i < p.finished().size(); i++) {
            assertArrayEquals(p.finished().get(i).tokens(), c.finished().get(i).tokens());
            assertEquals(p.finished().get(i).logProb(), c.finished().get(i).logProb(), 1e-9);
          }
        }
      }
    }
  }

  @Test
  void refusesPositionsPastTheMaximumAndRecurrentModels() {
    Seq2Seq spec = model();
    RefSeq2Seq ref = new RefSeq2Seq(spec, RefFixtures.weights(spec, 3, 0.6));
    int[] tokens = new int[MAX_T + 1];
    Decoder<Object> cached = ref.cachedDecoder(encoded(ref, 5), lengths(), 0);
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> cached.follow(tokens));
    assertTrue(ex.getMessage().contains("max_target_length 20"), ex.getMessage());
    Seq2Seq rnn = new Seq2Seq("rnn", VS, VT, 4, new RnnEncoder(Cell.GRU, 5), new RnnDecoder(Cell.GRU, 5, null, 3), 7, 6);
    Weights w = RefFixtures.weights(rnn, 1, 0.5);
    RefSeq2Seq r = new RefSeq2Seq(rnn, w);
    assertThrows(IllegalArgumentException.class, () -> r.cachedDecoder(null, new int[] {1}, 0));
  }
}
