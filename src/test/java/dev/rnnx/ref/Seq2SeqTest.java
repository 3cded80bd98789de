package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.Decoder;
import dev.rnnx.decode.FormDecoder;
import dev.rnnx.decode.Step;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seq2seq reference: its forms tied to each other (teacher-forced decoder steps equal the
 * training form; greedy equals stepping with argmax; beam width 1 equals greedy), the RNN parts
 * tied to the sequential layers' oracle, the Transformer tied to a direct computation, and the
 * beam search on a hand-made decoder.
 */
class Seq2SeqTest {

  static final double TOL = 1e-12;
  static final int VS = 9;
  static final int VT = 8;
  static final int E = 4;
  static final int H = 5;
  static final int MAX_S = 7;
  static final int MAX_T = 6;
  static final int B = 4;
  static final long[] LENGTHS = {7, 1, 4, 6};

  static Seq2Seq rnn(Cell cell, AttentionScore score) {
    return new Seq2Seq("rnn", VS, VT, E, new RnnEncoder(cell, H), new RnnDecoder(cell, H, score, 3), MAX_S, MAX_T);
  }

  static Seq2Seq transformer() {
    return new Seq2Seq("tf", VS, VT, E, new TransformerStack(2, 2, 6, 1e-3), new TransformerStack(2, 2, 7, 1e-3), MAX_S, MAX_T);
  }

  static Stream<Seq2Seq> models() {
    List<Seq2Seq> m = new ArrayList<>();
    for (Cell c : Cell.values()) {
      m.add(rnn(c, null));
      for (AttentionScore s : AttentionScore.values()) {
        m.add(rnn(c, s));
      }
    }
    m.add(transformer());
    return m.stream();
  }

  static Weights weights(Seq2Seq spec, long seed) {
    return RefFixtures.weights(spec, seed, 0.6);
  }

  static LongTensor source(long seed) {
    Random r = new Random(seed);
    long[] ids = new long[B * MAX_S];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(VS);
    }
    return LongTensor.of(ids, B, MAX_S);
  }

  static LongTensor target(long seed, int time) {
    Random r = new Random(seed);
    long[] ids = new long[B * time];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i % time == 0 ? SpecialTokens.BOS : r.nextInt(VT);
    }
    return LongTensor.of(ids, B, time);
  }

  static LongTensor lengths() {
    return LongTensor.of(LENGTHS.clone(), B);
  }

  static Map<String, Tensor> map(Object... kv) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Tensor) kv[i + 1]);
    }
    return m;
  }

  // ---- the forms tied together -------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void teacherForcedDecoderStepsEqualTheTrainingForm(Seq2Seq spec) {
    Map<String, ReferenceForm> forms = ReferenceForms.of(spec, weights(spec, 1));
    assertEquals(spec.forms().stream().map(ModelForm::name).toList(), List.copyOf(forms.keySet()));
    assertEquals(spec.recurrent() ? List.of("training", "encoder", "decoder_step", "greedy_decoder")
        : List.of("training", "encoder", "decoder_step", "decoder_cross_cache", "decoder_step_cached", "greedy_decoder"),
        List.copyOf(forms.keySet()));
    LongTensor src = source(2);
    LongTensor tgt = target(3, MAX_T);
    DoubleTensor training = forms.get(ModelForm.TRAINING).forward(map("source", src, "source_lengths", lengths(), "target", tgt))
        .get("log_probs");
    assertArrayEquals(new long[] {B, MAX_T, VT}, training.shape());
    Map<String, DoubleTensor> enc = forms.get(ModelForm.ENCODER).forward(map("source", src, "source_lengths", lengths()));
    FloatTensor memory = enc.get("memory").toFloat();
    // the step form reads float32 inputs: compare against the training form fed the same rounding
    for (int t = 0; t < MAX_T; t++) {
      double[] step;
      if (spec.recurrent()) {
        step = null;
      } else {
        long[] prefix = new long[B * (t + 1)];
        for (int b = 0; b < B; b++) {
          System.arraycopy(tgt.data(), b * MAX_T, prefix, b * (t + 1), t + 1);
        }
        step = forms.get(ModelForm.DECODER_STEP).forward(map("target", LongTensor.of(prefix, B, t + 1), "memory", memory,
            "source_lengths", lengths())).get("log_probs").data();
        double[] direct = lastPositions(transformerFromMemory(spec, weights(spec, 1), memory, LongTensor.of(prefix, B, t + 1)), t + 1);
        assertArrayEquals(direct, step, TOL, "step " + t + " against a direct computation on the same memory");
      }
      if (step != null) {
        assertEquals(B * VT, step.length);
        double[] want = slice(training, t);
        assertArrayEquals(want, step, 1e-5, "step " + t + " (memory rounded to float32)");
      }
    }
    if (spec.recurrent()) {
      assertRnnStepsEqualTraining(spec, forms, src, tgt, training);
    }
  }

  /** Steps with states and memory kept in double (through the public decoder API) equal the training form exactly. */
  static void assertRnnStepsEqualTraining(Seq2Seq spec, Map<String, ReferenceForm> forms, LongTensor src, LongTensor tgt,
      DoubleTensor training) {
    RefSeq2Seq ref = new RefSeq2Seq(spec, weights(spec, 1));
    RefSeq2Seq.Encoded e = ref.encode(src, lengths());
    int[] lens = lengths().toIntArray();
    for (int b = 0; b < B; b++) {
      Decoder<Object> d = ref.decoder(e, lens, b);
      Object state = d.start();
      for (int t = 0; t < MAX_T; t++) {
        Step<Object> s = d.step(state, (int) tgt.data()[b * MAX_T + t]);
        double[] want = Arrays.copyOfRange(training.data(), (b * MAX_T + t) * VT, (b * MAX_T + t + 1) * VT);
        assertArrayEquals(want, s.logProbs(), TOL);
        state = s.state();
      }
    }
    // and the public decoder_step form, fed float32 states, agrees to float rounding, step by step
    Map<String, DoubleTensor> enc = forms.get(ModelForm.ENCODER).forward(map("source", src, "source_lengths", lengths()));
    RnnDecoder dec = (RnnDecoder) spec.decoder();
    Map<String, Tensor> in = new LinkedHashMap<>();
    for (String s : dec.cell().states()) {
      in.put("state_" + s, enc.get("state_" + s).toFloat());
    }
    for (int t = 0; t < MAX_T; t++) {
      long[] token = new long[B];
      for (int b = 0; b < B; b++) {
        token[b] = tgt.data()[b * MAX_T + t];
      }
      Map<String, Tensor> step = new LinkedHashMap<>();
      step.put("token", LongTensor.of(token, B));
      step.putAll(in);
      if (dec.attends()) {
        step.put("memory", enc.get("memory").toFloat());
        step.put("source_lengths", lengths());
      }
      Map<String, DoubleTensor> out = forms.get(ModelForm.DECODER_STEP).forward(step);
      assertArrayEquals(slice(training, t), out.get("log_probs").data(), 1e-5, "step " + t);
      for (String s : dec.cell().states()) {
        in.put("state_" + s, out.get("new_state_" + s).toFloat());
      }
      if (dec.attends()) {
        DoubleTensor alpha = out.get("attention");
        assertArrayEquals(new long[] {B, MAX_S}, alpha.shape());
        for (int b = 0; b < B; b++) {
          double sum = 0;
          for (int j = 0; j < MAX_S; j++) {
            if (j >= LENGTHS[b]) {
              assertEquals(0.0, alpha.at(b, j), "source padding gets exactly zero weight");
            }
            sum += alpha.at(b, j);
          }
          assertEquals(1.0, sum, TOL);
        }
      }
    }
  }

  static double[] slice(DoubleTensor logProbs, int t) {
    int time = logProbs.dim(1);
    int v = logProbs.dim(2);
    double[] out = new double[logProbs.dim(0) * v];
    for (int b = 0; b < logProbs.dim(0); b++) {
      System.arraycopy(logProbs.data(), (b * time + t) * v, out, b * v, v);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void greedyDecoderEqualsSteppingTheDecoderStepFormWithArgmax(Seq2Seq spec) {
    Weights w = eosLikely(spec, weights(spec, 4));
    Map<String, ReferenceForm> forms = ReferenceForms.of(spec, w);
    LongTensor src = source(5);
    DoubleTensor tokens = forms.get(ModelForm.GREEDY_DECODER).forward(map("source", src, "source_lengths", lengths())).get("tokens");
    assertArrayEquals(new long[] {B, MAX_T}, tokens.shape());
    Map<String, DoubleTensor> enc = forms.get(ModelForm.ENCODER).forward(map("source", src, "source_lengths", lengths()));
    RefSeq2Seq ref = new RefSeq2Seq(spec, w);
    int ended = 0;
    for (int b = 0; b < B; b++) {
      long[] want = stepWithArgmax(spec, forms.get(ModelForm.DECODER_STEP), enc, b);
      for (int t = 0; t < MAX_T; t++) {
        assertEquals(want[t], tokens.at(b, t), "sequence " + b + " step " + t);
      }
      ended += Arrays.stream(want).anyMatch(v -> v == SpecialTokens.EOS) ? 1 : 0;
    }
    assertTrue(ended > 0, "some sequence ends with EOS before max_target_length");
    // beam width 1 is greedy, whatever the length penalty
    for (double alpha : new double[] {0, 0.6, 5}) {
      List<BeamSearch.Result> beams = ref.beamSearch(src, lengths(), 1, alpha);
      for (int b = 0; b < B; b++) {
        long[] best = beams.get(b).best().padded(MAX_T);
        for (int t = 0; t < MAX_T; t++) {
          assertEquals(tokens.at(b, t), best[t], "beam width 1, alpha " + alpha);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void beamSearchOverTheFloatStepFormFindsWhatTheDoubleDecoderFinds(Seq2Seq spec) {
    Weights w = eosLikely(spec, weights(spec, 4));
    Map<String, ReferenceForm> forms = ReferenceForms.of(spec, w);
    LongTensor src = source(5);
    Map<String, FloatTensor> enc = forms.get(ModelForm.ENCODER).run(map("source", src, "source_lengths", lengths()));
    List<BeamSearch.Result> direct = new RefSeq2Seq(spec, w).beamSearch(src, lengths(), 3, 0.6);
    for (int b = 0; b < B; b++) {
      FormDecoder viaForm = new FormDecoder(spec, forms.get(ModelForm.DECODER_STEP)::run, enc, b, LENGTHS[b]);
      BeamSearch.Result r = BeamSearch.search(viaForm, 3, 0.6, MAX_T);
      assertEquals(direct.get(b).finished().size(), r.finished().size());
      for (int i = 0; i < r.finished().size(); i++) {
        assertArrayEquals(direct.get(b).finished().get(i).tokens(), r.finished().get(i).tokens());
        assertEquals(direct.get(b).finished().get(i).score(), r.finished().get(i).score(), 1e-5);
      }
    }
  }

  /** Greedy decoding of sequence {@code b} done the long way: the decoder-step form at batch 1, argmax with ties to the lowest id. */
  static long[] stepWithArgmax(Seq2Seq spec, ReferenceForm step, Map<String, DoubleTensor> enc, int b) {
    long[] out = new long[MAX_T];
    DoubleTensor memory = row(enc.get("memory"), b);
    LongTensor len = LongTensor.of(new long[] {LENGTHS[b]}, 1);
    List<Long> prefix = new ArrayList<>(List.of((long) SpecialTokens.BOS));
    Map<String, Tensor> states = new LinkedHashMap<>();
    if (spec.recurrent()) {
      for (String s : ((RnnDecoder) spec.decoder()).cell().states()) {
        states.put("state_" + s, row(enc.get("state_" + s), b).toFloat());
      }
    }
    for (int t = 0; t < MAX_T; t++) {
      Map<String, Tensor> in = new LinkedHashMap<>();
      double[] lp;
      if (spec.recurrent()) {
        in.put("token", LongTensor.of(new long[] {prefix.get(prefix.size() - 1)}, 1));
        in.putAll(states);
        if (((RnnDecoder) spec.decoder()).attends()) {
          in.put("memory", memory.toFloat());
          in.put("source_lengths", len);
        }
        Map<String, DoubleTensor> o = step.forward(in);
        lp = o.get("log_probs").data();
        for (String s : states.keySet()) {
          states.put(s, o.get("new_" + s).toFloat());
        }
      } else {
        in.put("target", LongTensor.of(prefix.stream().mapToLong(Long::longValue).toArray(), 1, prefix.size()));
        in.put("memory", memory.toFloat());
        in.put("source_lengths", len);
        lp = step.forward(in).get("log_probs").data();
      }
      int best = 0;
      for (int v = 1; v < lp.length; v++) {
        if (lp[v] > lp[best]) {
          best = v;
        }
      }
      out[t] = best;
      if (best == SpecialTokens.EOS) {
        break;
      }
      prefix.add((long) best);
    }
    return out;
  }

  static DoubleTensor row(DoubleTensor t, int b) {
    long[] shape = t.shape().clone();
    int size = t.size() / (int) shape[0];
    shape[0] = 1;
    return new DoubleTensor(shape, Arrays.copyOfRange(t.data(), b * size, (b + 1) * size));
  }

  /** Raises EOS's output bias so that greedy decoding ends early on some inputs. */
  static Weights eosLikely(Seq2Seq spec, Weights w) {
    Map<String, FloatTensor> m = new LinkedHashMap<>(w.tensors());
    float[] bias = m.get("output/bias").data().clone();
    bias[SpecialTokens.EOS] += 1.2f;
    m.put("output/bias", new FloatTensor(new long[] {VT}, bias));
    return new Weights(m);
  }

  // ---- the RNN parts against the sequential layers' oracle ----------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("rnnWithoutAttention")
  void rnnEncoderAndDecoderAreTheSequentialLayers(Seq2Seq spec) {
    Weights w = weights(spec, 6);
    Cell cell = ((RnnEncoder) spec.encoder()).cell();
    LongTensor src = source(7);
    LongTensor tgt = target(8, MAX_T);
    Sequential encoder = new Sequential("enc", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("source_embedding", VS, E, Initializer.EMBEDDING), recurrent(cell, "encoder", false)));
    Map<String, DoubleTensor> seq = new ReferenceModel(encoder, subset(w, encoder))
        .forward(map("input", src, "lengths", lengths()));
    Map<String, DoubleTensor> enc = ReferenceForms.form(spec, w, ModelForm.ENCODER).forward(map("source", src, "source_lengths",
        lengths()));
    assertArrayEquals(seq.get("output").data(), enc.get("memory").data(), 0.0);
    for (String s : cell.states()) {
      assertArrayEquals(seq.get("state_" + s).data(), enc.get("state_" + s).data(), 0.0);
    }
    Sequential decoder = new Sequential("dec", ModelInput.ofTokens(), List.of(
        new Embedding("target_embedding", VT, E, Initializer.EMBEDDING), recurrent(cell, "decoder", true),
        new TimeDistributed("output", new Dense("d", VT, Activation.SOFTMAX, true))));
    Map<String, Tensor> in = map("input", tgt);
    for (String s : cell.states()) {
      in.put("decoder_" + s + "0", enc.get("state_" + s).toFloat());
    }
    double[] probs = new ReferenceModel(decoder, subset(w, decoder)).forward(in).get("output").data();
    double[] logProbs = ReferenceForms.form(spec, w, ModelForm.TRAINING)
        .forward(map("source", src, "source_lengths", lengths(), "target", tgt)).get("log_probs").data();
    for (int i = 0; i < probs.length; i++) {
      assertEquals(Math.log(probs[i]), logProbs[i], 1e-6, "the sequential model starts from float32 states");
    }
  }

  static Stream<Seq2Seq> rnnWithoutAttention() {
    return Stream.of(rnn(Cell.LSTM, null), rnn(Cell.GRU, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rnnWithAttention")
  void attentionDecoderStepByHand(Seq2Seq spec) {
    Weights w = weights(spec, 9);
    RnnDecoder dec = (RnnDecoder) spec.decoder();
    Random r = new Random(10);
    FloatTensor memory = RefFixtures.gaussian(r, B, MAX_S, H);
    List<FloatTensor> states = new ArrayList<>();
    Map<String, Tensor> in = map("token", LongTensor.of(new long[] {1, 5, 7, 0}, B));
    for (String s : dec.cell().states()) {
      FloatTensor st = RefFixtures.gaussian(r, B, H);
      states.add(st);
      in.put("state_" + s, st);
    }
    in.put("memory", memory);
    in.put("source_lengths", lengths());
    Map<String, DoubleTensor> out = ReferenceForms.form(spec, w, ModelForm.DECODER_STEP).forward(in);
    assertEquals(new ArrayList<>(spec.form(ModelForm.DECODER_STEP).outputs().stream().map(t -> t.name()).toList()),
        List.copyOf(out.keySet()));
    Sequential cellModel = new Sequential("cell", ModelInput.ofFeatures(E + H), List.of(recurrentWithStates(dec.cell())));
    double[][] emb = Direct.matrix(w, "target_embedding/embeddings", VT, E);
    long[] tokens = ((LongTensor) in.get("token")).data();
    for (int b = 0; b < B; b++) {
      double[] h = Arrays.copyOfRange(DoubleTensor.of(states.get(0)).data(), b * H, (b + 1) * H);
      double[][] mem = Direct.rows(DoubleTensor.of(memory).data(), b, MAX_S, H);
      double[] s = new double[MAX_S];
      for (int j = 0; j < MAX_S; j++) {
        s[j] = score(dec.attention(), w, h, mem[j]);
      }
      double[] alpha = Direct.softmax(s, (int) LENGTHS[b]);
      double[] context = new double[H];
      for (int j = 0; j < MAX_S; j++) {
        for (int k = 0; k < H; k++) {
          context[k] += alpha[j] * mem[j][k];
        }
      }
      assertArrayEquals(alpha, Arrays.copyOfRange(out.get("attention").data(), b * MAX_S, (b + 1) * MAX_S), TOL);
      // the cell reads [E[y]; c]: the sequential LSTM/GRU layer with initial states, one step
      float[] x = new float[E + H];
      for (int k = 0; k < E; k++) {
        x[k] = (float) emb[(int) tokens[b]][k];
      }
      for (int k = 0; k < H; k++) {
        x[E + k] = (float) context[k];
      }
      Map<String, Tensor> cin = map("input", new FloatTensor(new long[] {1, 1, E + H}, x));
      for (int i = 0; i < states.size(); i++) {
        float[] st = Arrays.copyOfRange(states.get(i).data(), b * H, (b + 1) * H);
        cin.put("decoder_" + dec.cell().states().get(i) + "0", new FloatTensor(new long[] {1, H}, st));
      }
      Map<String, DoubleTensor> cout = new ReferenceModel(cellModel, subset(w, cellModel)).forward(cin);
      double[] hNew = cout.get("state_h").data();
      assertArrayEquals(hNew, Arrays.copyOfRange(out.get("new_state_h").data(), b * H, (b + 1) * H), 1e-6);
      double[][] feat = {new double[2 * H]};
      System.arraycopy(hNew, 0, feat[0], 0, H);
      System.arraycopy(context, 0, feat[0], H, H);
      double[] want = Direct.logSoftmax(Direct.affine(feat, Direct.matrix(w, "output/kernel", 2 * H, VT),
          Direct.vector(w, "output/bias")))[0];
      assertArrayEquals(want, Arrays.copyOfRange(out.get("log_probs").data(), b * VT, (b + 1) * VT), 1e-6);
    }
  }

  static Stream<Seq2Seq> rnnWithAttention() {
    return Stream.of(rnn(Cell.LSTM, AttentionScore.ADDITIVE), rnn(Cell.GRU, AttentionScore.GENERAL),
        rnn(Cell.LSTM, AttentionScore.SCALED_DOT), rnn(Cell.GRU, AttentionScore.DOT));
  }

  static double score(AttentionScore kind, Weights w, double[] q, double[] k) {
    switch (kind) {
      case DOT, SCALED_DOT -> {
        double s = 0;
        for (int i = 0; i < H; i++) {
          s += q[i] * k[i];
        }
        return kind == AttentionScore.DOT ? s : s / Math.sqrt(H);
      }
      case GENERAL -> {
        double[][] m = Direct.matrix(w, "attention/kernel", H, H);
        double s = 0;
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < H; j++) {
            s += q[i] * m[i][j] * k[j];
          }
        }
        return s;
      }
      default -> {
        double[][] wq = Direct.matrix(w, "attention/query_kernel", H, 3);
        double[][] wk = Direct.matrix(w, "attention/key_kernel", H, 3);
        double[] bias = Direct.vector(w, "attention/bias");
        double[] v = Direct.vector(w, "attention/score_vector");
        double s = 0;
        for (int u = 0; u < 3; u++) {
          double z = bias[u];
          for (int i = 0; i < H; i++) {
            z += q[i] * wq[i][u] + k[i] * wk[i][u];
          }
          s += v[u] * Math.tanh(z);
        }
        return s;
      }
    }
  }

  static Layer recurrent(Cell cell, String name, boolean decoder) {
    if (cell == Cell.LSTM) {
      return Lstm.builder(name, H).returnSequences(true).returnState(!decoder).stateInputs(decoder).build();
    }
    return Gru.builder(name, H).resetAfter(true).returnSequences(true).returnState(!decoder).stateInputs(decoder).build();
  }

  static Layer recurrentWithStates(Cell cell) {
    return cell == Cell.LSTM ? Lstm.builder("decoder", H).stateInputs(true).returnState(true).build()
        : Gru.builder("decoder", H).resetAfter(true).stateInputs(true).returnState(true).build();
  }

  static Weights subset(Weights w, Sequential m) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (ParameterSpec p : m.parameters()) {
      out.put(p.name(), w.get(p.name()));
    }
    return new Weights(out);
  }

  // ---- the Transformer against a direct computation ----------------------------------------------

  @Test
  void transformerTrainingFormMatchesADirectComputation() {
    Seq2Seq spec = transformer();
    Weights w = weights(spec, 11);
    LongTensor src = source(12);
    LongTensor tgt = target(13, 5);
    double[] ours = ReferenceForms.form(spec, w, ModelForm.TRAINING)
        .forward(map("source", src, "source_lengths", lengths(), "target", tgt)).get("log_probs").data();
    DoubleTensor memory = ReferenceForms.form(spec, w, ModelForm.ENCODER).forward(map("source", src, "source_lengths", lengths()))
        .get("memory");
    for (int b = 0; b < B; b++) {
      double[][] x = Direct.embedWithPositions(w, "source_embedding/embeddings", Arrays.copyOfRange(src.data(), b * MAX_S,
          (b + 1) * MAX_S), E);
      for (int i = 0; i < 2; i++) {
        x = Direct.encoderBlock(w, "encoder/block_" + i, x, (int) LENGTHS[b], 2, 6, 1e-3, false);
      }
      assertArrayEquals(AttentionLayersTest.flat(x), Arrays.copyOfRange(memory.data(), b * MAX_S * E, (b + 1) * MAX_S * E), TOL);
    }
    assertArrayEquals(transformerFromMemory(spec, w, memory, tgt), ours, TOL);
  }

  /** The Transformer decoder computed directly from a given memory: {@code log_probs [B, T, V]} flattened. */
  static double[] transformerFromMemory(Seq2Seq spec, Weights w, Object memoryTensor, LongTensor tgt) {
    DoubleTensor memory = memoryTensor instanceof FloatTensor f ? DoubleTensor.of(f) : (DoubleTensor) memoryTensor;
    int time = (int) tgt.dim(1);
    double[] out = new double[B * time * VT];
    for (int b = 0; b < B; b++) {
      double[][] mem = Direct.rows(memory.data(), b, MAX_S, E);
      double[][] y = Direct.embedWithPositions(w, "target_embedding/embeddings", Arrays.copyOfRange(tgt.data(), b * time,
          (b + 1) * time), E);
      for (int i = 0; i < 2; i++) {
        y = Direct.decoderBlock(w, "decoder/block_" + i, y, mem, (int) LENGTHS[b], 2, 7, 1e-3);
      }
      double[][] lp = Direct.logSoftmax(Direct.affine(y, Direct.matrix(w, "output/kernel", E, VT), Direct.vector(w, "output/bias")));
      for (int t = 0; t < time; t++) {
        System.arraycopy(lp[t], 0, out, (b * time + t) * VT, VT);
      }
    }
    return out;
  }

  static double[] lastPositions(double[] all, int time) {
    double[] out = new double[B * VT];
    for (int b = 0; b < B; b++) {
      System.arraycopy(all, (b * time + time - 1) * VT, out, b * VT, VT);
    }
    return out;
  }

  // ---- refused inputs ---------------------------------------------------------------------------

  @Test
  void formsRefuseInputsThatDoNotFit() {
    Seq2Seq spec = rnn(Cell.LSTM, AttentionScore.ADDITIVE);
    Map<String, ReferenceForm> forms = ReferenceForms.of(spec, weights(spec, 1));
    ReferenceForm training = forms.get(ModelForm.TRAINING);
    assertRefused(training, map("source", source(1), "source_lengths", lengths()), "input 'target' is missing");
    assertRefused(training, map("source", source(1), "source_lengths", lengths(), "target", target(2, 3), "x", lengths()),
        "unknown input 'x'");
    assertRefused(training, map("source", source(1), "source_lengths", LongTensor.of(new long[] {7, 0, 1, 1}, B),
        "target", target(2, 3)), "input 'source_lengths' holds 0 at [1], expected 1 … 7");
    assertRefused(training, map("source", source(1), "source_lengths", LongTensor.of(new long[] {7, 8, 1, 1}, B),
        "target", target(2, 3)), "expected 1 … 7");
    assertRefused(training, map("source", LongTensor.of(new long[B * 8], B, 8), "source_lengths", lengths(),
        "target", target(2, 3)), "source_time is at most 7 (max_source_length)");
    assertRefused(training, map("source", source(1), "source_lengths", lengths(), "target", target(2, 7)),
        "target_time is at most 6 (max_target_length)");
    assertRefused(training, map("source", source(1), "source_lengths", lengths(), "target", LongTensor.of(new long[] {VT}, 1, 1)),
        "input 'target' must be int64 [batch, target_time], got int64 [1, 1]: batch is 4 in input 'source'");
    assertRefused(training, map("source", source(1), "source_lengths", lengths(), "target", LongTensor.of(new long[] {1, 2, 3, VT},
        B, 1)), "input 'target' holds 8 at [3, 0], expected 0 … 7 (token ids of the target vocabulary)");
    assertRefused(training, map("source", RefFixtures.gaussian(new Random(1), B, 7), "source_lengths", lengths(),
        "target", target(2, 3)), "input 'source' must be int64 [batch, source_time], got float32 [4, 7]");
    Map<String, Tensor> step = map("token", LongTensor.of(new long[] {1, 1, 1, 1}, B), "state_h", FloatTensor.zeros(B, H),
        "state_c", FloatTensor.zeros(B, H + 1), "memory", FloatTensor.zeros(B, 3, H), "source_lengths", lengths());
    assertRefused(forms.get(ModelForm.DECODER_STEP), step, "input 'state_c' must be float32 [batch, 5], got float32 [4, 6]");
    step.put("state_c", new FloatTensor(new long[] {B, H}, filled(B * H, Float.NaN)));
    assertRefused(forms.get(ModelForm.DECODER_STEP), step, "expected finite values");
    step.put("state_c", FloatTensor.zeros(B, H));
    assertRefused(forms.get(ModelForm.DECODER_STEP), step, "expected 1 … 3");
    assertThrows(IllegalArgumentException.class, () -> ReferenceForms.of(spec, weights(rnn(Cell.GRU, null), 1)));
    assertThrows(IllegalArgumentException.class, () -> ReferenceForms.form(spec, weights(spec, 1), "model"));
  }

  static float[] filled(int n, float v) {
    float[] f = new float[n];
    Arrays.fill(f, v);
    return f;
  }

  static void assertRefused(ReferenceForm form, Map<String, Tensor> inputs, String fragment) {
    String msg = assertThrows(IllegalArgumentException.class, () -> form.forward(inputs)).getMessage();
    assertTrue(msg.contains(fragment), msg);
  }
}
