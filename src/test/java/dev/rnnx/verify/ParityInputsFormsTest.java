package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Parity inputs for every form of seq2seq and word2vec models: shapes, ranges, lengths, and the reference accepts them. */
class ParityInputsFormsTest {

  static final Seq2Seq RNN = new Seq2Seq("rnn", 45, 15, 8, new RnnEncoder(Cell.LSTM, 6),
      new RnnDecoder(Cell.LSTM, 6, AttentionScore.ADDITIVE, 5), 40, 11);
  static final Seq2Seq GRU = new Seq2Seq("gru", 45, 15, 8, new RnnEncoder(Cell.GRU, 6), new RnnDecoder(Cell.GRU, 6, null, 0), 40, 11);
  static final Seq2Seq TRANSFORMER = new Seq2Seq("tf", 45, 15, 8, new TransformerStack(1, 2, 12, 1e-3),
      new TransformerStack(1, 2, 12, 1e-3), 40, 11);
  static final Word2Vec W2V = new Word2Vec("w2v", 62, 5, Word2Vec.Architecture.CBOW, 2, Word2Vec.Objective.SOFTMAX, 0);

  static Stream<ModelSpec> models() {
    return Stream.of(RNN, GRU, TRANSFORMER, W2V);
  }

  static Weights weights(ModelSpec model) {
    Random r = new Random(1);
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextGaussian() * 0.3);
      }
      m.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    return new Weights(m);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyFormsStandardGridRunsOnTheReference(ModelSpec model) {
    Map<String, List<ParityCase>> grid = ParityInputs.standardForms(model, 10, 3);
    assertEquals(model.forms().stream().map(ModelForm::name).toList(), List.copyOf(grid.keySet()));
    Map<String, ReferenceForm> forms = ReferenceForms.of(model, weights(model));
    for (ModelForm form : model.forms()) {
      for (ParityCase c : grid.get(form.name())) {
        assertEquals(form.inputs().stream().map(s -> s.name()).toList(), List.copyOf(c.inputs().keySet()), c.name());
        Map<String, ?> out = forms.get(form.name()).forward(c.inputs());
        assertEquals(form.outputs().stream().map(s -> s.name()).toList(), List.copyOf(out.keySet()), form.name() + " " + c.name());
      }
    }
  }

  @Test
  void seq2seqCasesCoverLengthOneAndTheLimitsOfEachAxis() {
    List<ParityCase> training = ParityInputs.standardForms(RNN, 10, 5).get(ModelForm.TRAINING);
    assertEquals(List.of("batch1_src1_tgt1", "batch1_src20_tgt11", "batch1_src40_tgt11", "batch7_src1_tgt1", "batch7_src20_tgt11",
        "batch7_src40_tgt11"), training.stream().map(ParityCase::name).toList());
    Map<String, ? extends Tensor> full = training.get(5).inputs();
    assertArrayEquals(new long[] {7, 40}, full.get("source").shape());
    assertArrayEquals(new long[] {7, 11}, full.get("target").shape());
    long[] lengths = ((LongTensor) full.get("source_lengths")).data();
    assertTrue(Arrays.stream(lengths).anyMatch(l -> l == 1) && Arrays.stream(lengths).anyMatch(l -> l == 40),
        Arrays.toString(lengths));
    long[] target = ((LongTensor) full.get("target")).data();
    for (int b = 0; b < 7; b++) {
      assertEquals(SpecialTokens.BOS, target[b * 11], "the teacher-forcing input starts with BOS");
    }
    assertTrue(Arrays.stream(((LongTensor) full.get("source")).data()).allMatch(id -> id >= 0 && id < 45));
    assertTrue(Arrays.stream(target).allMatch(id -> id >= 0 && id < 15));

    List<String> step = ParityInputs.standardForms(GRU, 10, 5).get(ModelForm.DECODER_STEP).stream().map(ParityCase::name).toList();
    assertEquals(List.of("batch1", "batch7"), step, "an RNN step without attention has no time axis");
    Map<String, ? extends Tensor> attn = ParityInputs.forForm(RNN, RNN.form(ModelForm.DECODER_STEP), 3, 9, 1);
    assertEquals(List.of("token", "state_h", "state_c", "memory", "source_lengths"), List.copyOf(attn.keySet()));
    assertArrayEquals(new long[] {3, 9, 6}, attn.get("memory").shape());
    Map<String, ? extends Tensor> prefix = ParityInputs.forForm(TRANSFORMER, TRANSFORMER.form(ModelForm.DECODER_STEP), 2, 4, 1);
    assertArrayEquals(new long[] {2, 4}, prefix.get("target").shape());
    assertArrayEquals(new long[] {2, 4, 8}, prefix.get("memory").shape());
  }

  @Test
  void word2vecCasesAskForOneAndForEveryNeighbour() {
    Map<String, List<ParityCase>> grid = ParityInputs.standardForms(W2V, 10, 5);
    assertEquals(List.of("batch1", "batch7"), grid.get(ModelForm.EMBEDDING).stream().map(ParityCase::name).toList());
    assertEquals(List.of("batch1_k1", "batch1_k57", "batch7_k1", "batch7_k57"),
        grid.get(ModelForm.MOST_SIMILAR).stream().map(ParityCase::name).toList());
    assertArrayEquals(new long[] {57}, ((LongTensor) grid.get(ModelForm.MOST_SIMILAR).get(3).inputs().get("k")).data());
  }

  @Test
  void theSeedFixesTheInputsAndBadSizesAreRefused() {
    ModelForm form = TRANSFORMER.form(ModelForm.TRAINING);
    Map<String, Tensor> a = ParityInputs.forForm(TRANSFORMER, form, 4, 30, 9);
    Map<String, Tensor> b = ParityInputs.forForm(TRANSFORMER, form, 4, 30, 9);
    assertEquals(a, b);
    assertThrows(IllegalArgumentException.class, () -> ParityInputs.forForm(TRANSFORMER, form, 0, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> ParityInputs.forForm(W2V, form, 1, 3, 1));
  }
}
