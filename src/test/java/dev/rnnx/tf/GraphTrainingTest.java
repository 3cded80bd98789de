package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.NamedArrays;
import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.ArraysTask;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GraphTraining}: a graph with a float input of 6 steps and a token input of 5 (GRU,
 * embedding, cross- and self-attention, merges, max pooling) and three outputs (softmax classes
 * with sparse class ids, a sigmoid flag, a per-step regression), trained from the recipe's
 * initializers. The loss falls, and the training graph's validation loss equals the weighted sum
 * of the three losses computed in Java on the reference forward of the trained weights.
 */
class GraphTrainingTest {

  static final String RECIPE = """
      name: graph-training
      seed: 5
      model:
        type: graph
        name: three_outputs
        inputs: [{name: a, features: 3}, {name: b, tokens: true}]
        nodes:
          - {type: gru, name: enc, units: 4, return_sequences: true, inputs: [a]}
          - {type: embedding, name: emb, input_dim: 7, output_dim: 4, inputs: [b]}
          - {type: multi_head_attention, name: cross, heads: 2, key_dim: 2, inputs: [emb, enc]}
          - {type: attention, name: self, score: dot, inputs: [enc, enc]}
          - {type: add, name: res, inputs: [emb, cross]}
          - {type: average, name: avg, inputs: [res, emb]}
          - {type: global_max_pooling, name: pool_b, inputs: [avg]}
          - {type: global_average_pooling, name: pool_a, inputs: [self]}
          - {type: concatenate, name: both, inputs: [pool_a, pool_b]}
          - {type: dense, name: classes, units: 3, activation: softmax, inputs: [both]}
          - {type: dense, name: flag, units: 1, activation: sigmoid, inputs: [pool_a]}
          - {type: time_distributed, name: per_step, inputs: [avg], layer: {type: dense, units: 1}}
        outputs: [classes, flag, per_step]
      data: {task: arrays, train: unused.npz, loss_weights: {per_step: 0.5}}
      training: {loss: auto, optimizer: adam, learning_rate: 0.02, epochs: 15, batch_size: 16}
      """;

  /** a [n, 6, 3] normal, b [n, 5] ids; classes: argmax of a's feature sums; flag: b[0] > 3; per_step: b[t] / 6. */
  static NamedArrays examples(int n, long seed) {
    Random r = new Random(seed);
    float[] a = new float[n * 18];
    long[] b = new long[n * 5];
    long[] classes = new long[n];
    float[] flag = new float[n];
    float[] perStep = new float[n * 5];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    for (int e = 0; e < n; e++) {
      double[] sums = new double[3];
      for (int i = 0; i < 18; i++) {
        sums[i % 3] += a[e * 18 + i];
      }
      classes[e] = sums[0] >= sums[1] && sums[0] >= sums[2] ? 0 : sums[1] >= sums[2] ? 1 : 2;
      for (int t = 0; t < 5; t++) {
        b[e * 5 + t] = r.nextInt(7);
        perStep[e * 5 + t] = b[e * 5 + t] / 6f;
      }
      flag[e] = b[e * 5] > 3 ? 1 : 0;
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a", new FloatTensor(new long[] {n, 6, 3}, a));
    m.put("b", new LongTensor(new long[] {n, 5}, b));
    m.put("classes", new LongTensor(new long[] {n}, classes));
    m.put("flag", new FloatTensor(new long[] {n, 1}, flag));
    m.put("per_step", new FloatTensor(new long[] {n, 5, 1}, perStep));
    return new NamedArrays(m);
  }

  /** sparse CE(classes) + BCE(flag) + 0.5 · MSE(per_step), float64 on the reference forward. */
  static double loss(Graph model, Weights w, NamedArrays set) {
    Map<String, DoubleTensor> out = ReferenceForms.of(model, w).get("model").forward(Map.of("a", set.get("a"), "b", set.get("b")));
    int n = set.size();
    double ce = 0;
    double bce = 0;
    for (int e = 0; e < n; e++) {
      ce -= Math.log(out.get("classes").data()[e * 3 + (int) ((LongTensor) set.get("classes")).data()[e]]);
      double p = out.get("flag").data()[e];
      double y = ((FloatTensor) set.get("flag")).data()[e];
      bce -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    }
    double se = 0;
    double[] p = out.get("per_step").data();
    for (int i = 0; i < p.length; i++) {
      double d = p[i] - ((FloatTensor) set.get("per_step")).data()[i];
      se += d * d;
    }
    return ce / n + bce / n + 0.5 * se / p.length;
  }

  @Test
  void aGraphWithTwoInputsOfTheirOwnLengthsAndThreeOutputsTrains() {
    Recipe recipe = RecipeCodec.parse(RECIPE, "graph-training.yaml");
    Graph model = (Graph) recipe.model();
    NamedArrays.Split data = new NamedArrays.Split(examples(128, 1), examples(48, 2));
    Weights start = Trainer.initialWeights(recipe);
    TrainingResult trained = Trainer.train(recipe, data, TrainingOptions.defaults());
    double before = loss(model, start, data.validation());
    double after = loss(model, trained.weights(), data.validation());
    assertEquals(after, trained.finalValidationLoss(), 1e-4 * after);
    List<Double> train = trained.trainLoss();
    assertTrue(after < 0.75 * before && train.get(train.size() - 1) < 0.75 * train.get(0),
        "validation " + before + " -> " + after + ", training " + train);
    assertNotEquals(start.get("emb/embeddings"), trained.weights().get("emb/embeddings"));
    ArraysTask task = (ArraysTask) recipe.data();
    assertEquals(3, task.terms(model, recipe.training().loss()).size());
  }

  @Test
  void aResumedGraphRunReachesTheWeightsOfAnUninterruptedOne(@TempDir Path dir) {
    Recipe recipe = RecipeCodec.parse(RECIPE.replace("epochs: 15", "epochs: 3"), "graph-training.yaml");
    NamedArrays.Split data = new NamedArrays.Split(examples(40, 1), examples(8, 2));
    TrainingResult whole = Trainer.train(recipe, data, TrainingOptions.defaults());
    TrainingResult first = Trainer.train(recipe, data, TrainingOptions.builder().checkpointDir(dir).stopAfterEpochs(1).build());
    assertEquals(TrainingResult.Stop.INTERRUPTED, first.stop());
    TrainingResult rest = Trainer.train(recipe, data, TrainingOptions.builder().resume(dir).build());
    assertEquals(whole.weights(), rest.weights());
    assertEquals(whole.trainLoss(), rest.trainLoss());
    NamedArrays.Split other = new NamedArrays.Split(examples(40, 3), examples(8, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(recipe, other, TrainingOptions.builder().resume(dir).build()));
    assertTrue(e.getMessage().contains("was written for another model, training settings, seed or data set"), e.getMessage());
  }
}
