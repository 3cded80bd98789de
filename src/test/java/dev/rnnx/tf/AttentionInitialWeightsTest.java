package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting values of the attention family, seq2seq and word2vec parameters, by role. */
class AttentionInitialWeightsTest {

  private static void checkRoles(ModelSpec model, Weights w) {
    w.checkFits(model);
    for (ParameterSpec p : model.parameters()) {
      String role = p.name().substring(p.name().lastIndexOf('/') + 1);
      float[] v = w.get(p.name()).data();
      switch (role) {
        case "gamma" -> assertTrue(allEqual(v, 1f), p.name());
        case "beta" -> assertTrue(allEqual(v, 0f), p.name());
        case "kernel", "query_kernel", "key_kernel", "score_vector" -> {
          double limit = Math.sqrt(6.0 / (p.shape().length == 1 ? 2 * p.shape()[0] : p.shape()[0] + p.shape()[1]));
          for (float x : v) {
            assertTrue(Math.abs(x) <= limit, p.name() + ": " + x + " beyond Glorot's " + limit);
          }
          assertTrue(!allEqual(v, 0f), p.name());
        }
        case "embeddings" -> {
          for (float x : v) {
            assertTrue(Math.abs(x) <= 0.05, p.name());
          }
        }
        default -> { }
      }
    }
  }

  private static boolean allEqual(float[] v, float x) {
    for (float e : v) {
      if (e != x) {
        return false;
      }
    }
    return true;
  }

  @Test
  void attentionLayersStartAsKerasDoes() {
    for (Sequential model : AttentionModels.all()) {
      checkRoles(model, InitialWeights.generate(model, 5));
    }
  }

  @Test
  void seq2seqStartsWithOrthogonalRecurrenceAndTheForgetBias() {
    List<Seq2Seq> models = new ArrayList<>(Seq2SeqFixtures.all());
    for (Seq2Seq model : models) {
      Weights w = InitialWeights.generate((ModelSpec) model, 5);
      checkRoles(model, w);
      if (model.recurrent()) {
        FloatTensor bias = w.get("decoder/bias");
        int h = model.memoryWidth();
        boolean lstm = model.name().startsWith("lstm");
        for (int j = 0; j < bias.size(); j++) {
          assertEquals(lstm && j >= h && j < 2 * h ? 1f : 0f, bias.data()[j], model.name() + " bias " + j);
        }
        FloatTensor recurrent = w.get("encoder/recurrent_kernel"); // [H, G·H], rows orthonormal
        int cols = (int) recurrent.dim(1);
        double dot = 0;
        double norm = 0;
        for (int c = 0; c < cols; c++) {
          dot += recurrent.data()[c] * recurrent.data()[cols + c];
          norm += recurrent.data()[c] * recurrent.data()[c];
        }
        assertEquals(0, dot, 1e-5, model.name());
        assertEquals(1, norm, 1e-5, model.name());
      }
      assertTrue(allEqual(w.get("output/bias").data(), 0f));
    }
    assertEquals(InitialWeights.generate((ModelSpec) models.get(3), 9), InitialWeights.generate((ModelSpec) models.get(3), 9));
  }

  @Test
  void word2vecStartsAsWord2vecDoes() {
    Word2Vec model = new Word2Vec("w", 30, 8, Word2Vec.Architecture.CBOW, 2, Word2Vec.Objective.SOFTMAX, 0);
    Weights w = InitialWeights.generate((ModelSpec) model, 1);
    for (float x : w.get("embeddings").data()) {
      assertTrue(Math.abs(x) <= 0.5 / 8, "embedding " + x);
    }
    assertTrue(!allEqual(w.get("embeddings").data(), 0f));
    assertTrue(allEqual(w.get("context").data(), 0f));
    assertTrue(allEqual(w.get("context_bias").data(), 0f));
  }

  @Test
  void attentionScoresOfTheRnnDecoderGetGlorotKernels() {
    Seq2Seq model = Seq2SeqFixtures.rnn("gru_general", Cell.GRU, AttentionScore.GENERAL);
    Weights w = InitialWeights.generate((ModelSpec) model, 2);
    assertTrue(!allEqual(w.get("attention/kernel").data(), 0f));
  }
}
