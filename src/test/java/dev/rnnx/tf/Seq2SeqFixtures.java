package dev.rnnx.tf;

import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small seq2seq models of every kind, random weights and random inputs for any form. */
final class Seq2SeqFixtures {

  private Seq2SeqFixtures() {}

  static Seq2Seq rnn(String name, Cell cell, AttentionScore attention) {
    return new Seq2Seq(name, 9, 8, 4, new RnnEncoder(cell, 5), new RnnDecoder(cell, 5, attention, 3), 12, 6);
  }

  static Seq2Seq transformer(String name, int layers, int heads) {
    return new Seq2Seq(name, 9, 8, 6, new TransformerStack(layers, heads, 7, 1e-3), new TransformerStack(layers, heads, 5, 1e-3),
        12, 6);
  }

  /** Every kind: LSTM and GRU without attention, each score with GRU, additive with LSTM, two Transformers. */
  static List<Seq2Seq> all() {
    List<Seq2Seq> models = new ArrayList<>();
    models.add(rnn("lstm", Cell.LSTM, null));
    models.add(rnn("gru", Cell.GRU, null));
    for (AttentionScore s : AttentionScore.values()) {
      models.add(rnn("gru_" + s.recipeName(), Cell.GRU, s));
    }
    models.add(rnn("lstm_additive", Cell.LSTM, AttentionScore.ADDITIVE));
    models.add(rnn("lstm_dot", Cell.LSTM, AttentionScore.DOT));
    models.add(transformer("transformer_one_head", 1, 1));
    models.add(transformer("transformer_two_layers", 2, 2));
    return models;
  }

  /** Uniform weights in ±scale for every parameter of any model. */
  static Weights randomWeights(ModelSpec model, long seed, double scale) {
    Random random = new Random(seed);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((2 * random.nextDouble() - 1) * scale);
      }
      tensors.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    return new Weights(tensors);
  }

  /**
   * Random inputs of a seq2seq form: ids in the vocabularies, source lengths mixed (the first full,
   * the second 1), Gaussian states and memory.
   */
  static Map<String, Tensor> inputs(Seq2Seq model, ModelForm form, long seed, int batch, int sourceSteps, int targetSteps) {
    Random random = new Random(seed);
    Map<String, Tensor> in = new LinkedHashMap<>();
    for (TensorSpec spec : form.inputs()) {
      switch (spec.name()) {
        case "source" -> in.put("source", ids(random, model.sourceVocabulary(), batch, sourceSteps));
        case "target" -> in.put("target", ids(random, model.targetVocabulary(), batch, targetSteps));
        case "token" -> {
          long[] t = new long[batch];
          for (int i = 0; i < batch; i++) {
            t[i] = random.nextInt(model.targetVocabulary());
          }
          in.put("token", LongTensor.of(t, batch));
        }
        case "source_lengths" -> in.put("source_lengths", Fixtures.lengths(random, batch, sourceSteps));
        case "memory" -> in.put("memory", gaussian(random, batch, sourceSteps, model.memoryWidth()));
        default -> {
          if (spec.name().startsWith("cross_") || spec.name().startsWith("past_")) {
            // a cache [B, heads, steps, head_dim]: the source's steps, or the target's steps before the current one
            int steps = spec.name().startsWith("cross_") ? sourceSteps : targetSteps - 1;
            in.put(spec.name(), gaussian(random, batch, spec.shape().dim(1), steps, spec.shape().dim(3)));
            continue;
          }
          if (spec.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(spec.name());
          }
          in.put(spec.name(), gaussian(random, batch, model.memoryWidth()));
        }
      }
    }
    return in;
  }

  static LongTensor ids(Random random, int vocabulary, int batch, int steps) {
    long[] v = new long[batch * steps];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextInt(vocabulary);
    }
    return LongTensor.of(v, batch, steps);
  }

  static FloatTensor gaussian(Random random, long... shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (0.7 * random.nextGaussian());
    }
    return new FloatTensor(shape, v);
  }
}
