package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.verify.Criterion;
import dev.rnnx.weights.Weights;
import dev.rnnx.verify.VariantBudgets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lightweight variants of seq2seq forms, whose greedy decoder is a {@code Loop} with the
 * decoder's weights read inside its body (seeded Glorot weights, scale 1): every form transforms and passes the checker; the
 * training form's log-probabilities stay within the variant's budget of the float32 oracle on ONNX
 * Runtime and the evaluator; the greedy decoder runs on both, and the two agree token for token
 * (the same int8 arithmetic); the int8 body computes its projections with MatMulInteger.
 */
class ModelVariantFormsTest {

  static Stream<Arguments> cases() {
    return Stream.of(ModelVariant.values()).flatMap(v -> Stream.of(
        Arguments.of("lstm additive attention", Seq2SeqFormsTest.rnn(Cell.LSTM, AttentionScore.ADDITIVE), v),
        Arguments.of("transformer", Seq2SeqFormsTest.transformer(), v)));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("cases")
  void formsTransformRunAndStayWithinBudget(String label, Seq2Seq model, ModelVariant v) throws Exception {
    Weights w = TestModels.randomWeights(model.parameters(), label.hashCode(), 1.0);
    Map<String, OnnxMl.ModelProto> fp32 = OnnxExporter.export(model, w, 17, TestModels.provenance());
    Map<String, OnnxMl.ModelProto> forms = new LinkedHashMap<>();
    fp32.forEach((form, m) -> forms.put(form, ModelVariants.transform(m, v).model()));
    forms.values().forEach(OnnxChecker::check);
    if (v == ModelVariant.INT8) {
      OnnxMl.NodeProto loop = forms.get(ModelForm.GREEDY_DECODER).getGraph().getNodeList().stream()
          .filter(n -> n.getOpType().equals("Loop")).findFirst().orElseThrow();
      OnnxMl.GraphProto body = loop.getAttributeList().stream().filter(a -> a.hasG()).findFirst().orElseThrow().getG();
      assertTrue(body.getNodeList().stream().anyMatch(n -> n.getOpType().equals("MatMulInteger")),
          "the Loop body's projections are quantised");
    }
    Seq2SeqOracle oracle = new Seq2SeqOracle(model, w);
    Seq2SeqFormsTest.Batch batch = Seq2SeqFormsTest.batch(model, label.hashCode() + 1L);
    double[] teacher = Seq2SeqFormsTest.flat(oracle.training(batch.source(), batch.lengths(), batch.target()));
    Criterion budget = VariantBudgets.of(v);
    long[][] tokens = new long[2][];
    double[] worst = new double[2];
    int[] failing = new int[2];
    try (FormBackends backends = new FormBackends(forms)) {
      List<FormBackends.Backend> both = backends.both();
      for (int b = 0; b < both.size(); b++) {
        Map<String, Value> sources = Map.of("source", batch.sourceValue(), "source_lengths", batch.lengthsValue());
        Map<String, Value> training = new LinkedHashMap<>(sources);
        training.put("target", batch.targetValue());
        double[] got = both.get(b).run(ModelForm.TRAINING, training).get("log_probs").toDoubleArray();
        assertEquals(teacher.length, got.length);
        for (int i = 0; i < got.length; i++) {
          double err = Math.abs(got[i] - teacher[i]);
          worst[b] = Math.max(worst[b], err);
          if (err > budget.atol() && err > budget.rtol() * Math.abs(teacher[i])) {
            failing[b]++;
          }
        }
        tokens[b] = both.get(b).run(ModelForm.GREEDY_DECODER, sources).get("tokens").toLongArray();
      }
    }
    System.out.printf(Locale.ROOT, "seq2seq variant %s %s: failing %d/%d of %d%n", label, v, failing[0], failing[1],
        teacher.length);
    assertEquals(0, failing[0] + failing[1], label + " " + v + ": log_probs over " + budget.describe() + ", worst ORT "
        + worst[0] + ", evaluator " + worst[1]);
    assertArrayEquals(tokens[0], tokens[1], label + " " + v + ": greedy tokens on ONNX Runtime and the evaluator");
    System.out.printf(Locale.ROOT, "seq2seq variant %s %s: training log_probs worst abs err vs fp32 oracle: ORT %.2e,"
        + " evaluator %.2e%n", label, v, worst[0], worst[1]);
  }
}
