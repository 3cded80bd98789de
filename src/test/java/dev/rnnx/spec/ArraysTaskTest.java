package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data task of a graph model ({@code arrays}): the recipe round trip, each output's loss and
 * weight (named, or chosen from the output), and the recipes refused naming the field.
 */
class ArraysTaskTest {

  static final String MODEL = """
      name: tune
      seed: 1
      model:
        type: graph
        name: two
        inputs: [{name: a, features: 3}, {name: b, tokens: true}]
        nodes:
          - {type: gru, name: enc, units: 4, return_sequences: true, inputs: [a]}
          - {type: embedding, name: emb, input_dim: 9, output_dim: 4, inputs: [b]}
          - {type: multi_head_attention, name: cross, heads: 2, key_dim: 3, inputs: [emb, enc]}
          - {type: global_average_pooling, name: pool, inputs: [cross]}
          - {type: dense, name: classes, units: 3, activation: softmax, inputs: [pool]}
          - {type: dense, name: flag, units: 1, activation: sigmoid, inputs: [pool]}
          - {type: time_distributed, name: per_step, inputs: [cross], layer: {type: dense, units: 2}}
        outputs: [classes, flag, per_step]
      """;

  static Recipe parse(String data, String loss) {
    return RecipeCodec.parse(MODEL + data + "training: {loss: " + loss + ", optimizer: adam, learning_rate: 0.01, epochs: 1,"
        + " batch_size: 8}\n", "r.yaml", Path.of("/data"));
  }

  @Test
  void theTaskRoundTripsAndAutoChoosesEachOutputsLoss() {
    Recipe r = parse("data: {task: arrays, train: t.npz, validation: v.npz, losses: {per_step: mse}, loss_weights: {flag: 0.25}}\n",
        "auto");
    ArraysTask t = (ArraysTask) r.data();
    assertEquals("/data/t.npz", t.train());
    assertEquals("/data/v.npz", t.validation());
    assertEquals(List.of(new ArraysTask.Term("classes", OutputLoss.SPARSE_CATEGORICAL_CROSSENTROPY, 1.0),
        new ArraysTask.Term("flag", OutputLoss.BINARY_CROSSENTROPY, 0.25), new ArraysTask.Term("per_step", OutputLoss.MSE, 1.0)),
        t.terms((Graph) r.model(), r.training().loss()));
    Recipe back = RecipeCodec.parse(RecipeCodec.write(r), "again");
    assertEquals(r, back);
    assertEquals(1, r.trainingLength());
    assertEquals(7, ((ArraysTask) back.data()).withLength(7).sequenceLength());
  }

  @Test
  void aNamedTrainingLossIsTheLossOfTheOutputsTheDataSectionLeavesOut() {
    Recipe r = parse("data: {task: arrays, train: t.npz, losses: {classes: categorical_crossentropy, flag: mse}}\n", "mse");
    assertEquals(List.of(OutputLoss.CATEGORICAL_CROSSENTROPY, OutputLoss.MSE, OutputLoss.MSE),
        ((ArraysTask) r.data()).terms((Graph) r.model(), r.training().loss()).stream().map(ArraysTask.Term::loss).toList());
    assertEquals(0.2, ((ArraysTask) r.data()).validationFraction());
  }

  @Test
  void badSectionsAreRefusedNamingTheFieldAndTheOutput() {
    assertRefused("data: {task: arrays, train: t.npz, losses: {nope: mse}}\n", "auto",
        "data.losses names 'nope', which is not an output of graph model 'two'; outputs: [classes, flag, per_step]");
    assertRefused("data: {task: arrays, train: t.npz, loss_weights: {classes: -1}}\n", "auto",
        "data.loss_weights.classes is -1.0, expected a finite number >= 0");
    assertRefused("data: {task: arrays, train: t.npz, loss_weights: {classes: 0, flag: 0, per_step: 0}}\n", "auto",
        "data.loss_weights are all 0");
    assertRefused("data: {task: arrays, train: t.npz, losses: {per_step: binary_crossentropy}}\n", "auto",
        "output 'per_step' has activation 'linear', but loss binary_crossentropy needs activation 'sigmoid'");
    assertRefused("data: {task: arrays, train: t.npz, losses: {flag: hinge}}\n", "auto",
        "unknown loss 'hinge', expected one of [mse, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy]");
    assertRefused("data: {task: arrays, train: t.npz}\n", "binary_crossentropy",
        "output 'classes' has activation 'softmax', but loss binary_crossentropy needs activation 'sigmoid'");
    assertRefused("data: {task: arrays, train: t.npz}\n", "half_sse", "training.loss half_sse is for sequential models");
    assertRefused("data: {task: arrays, validation: v.npz}\n", "auto", "data.train");
    assertRefused("data: {task: arrays, train: t.npz, validation_fraction: 1}\n", "auto",
        "data.validation_fraction is 1.0, expected a number in (0, 1)");
    assertRefused("data: {task: sine, window: 4, samples: 8}\n", "mse", "a graph model cannot train on task 'sine'");
  }

  @Test
  void autoIsForGraphModelsAndAccuracyIsNotComputedForThem() {
    String sequential = """
        name: s
        seed: 1
        model: {input: {features: 1}, layers: [{type: lstm, units: 2}, {type: dense, units: 1}]}
        data: {task: sine, window: 4, samples: 8}
        training: {loss: auto, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
        """;
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(sequential, "s.yaml"));
    assertTrue(e.getMessage().contains("training.loss auto chooses a loss per output of a graph model"), e.getMessage());
    RecipeException m = assertThrows(RecipeException.class, () -> RecipeCodec.parse(MODEL + "data: {task: arrays, train: t.npz}\n"
        + "training: {loss: auto, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8, metrics: [accuracy]}\n", "m.yaml"));
    assertTrue(m.getMessage().contains("training.metrics [accuracy] is not computed for graph models"), m.getMessage());
  }

  @Test
  void aMaskedGraphInputIsRefusedForFineTuning() {
    String masked = """
        name: tune
        seed: 1
        model:
          type: graph
          name: two
          inputs: [{name: a, features: 3, mask_value: 0.0}, {name: b, features: 2}]
          nodes:
            - {type: gru, name: enc, units: 4, inputs: [a]}
            - {type: gru, name: other, units: 4, inputs: [b]}
            - {type: add, name: sum, inputs: [enc, other]}
            - {type: dense, name: out, units: 1, inputs: [sum]}
          outputs: [out]
        """ + "data: {task: arrays, train: t.npz}\ntraining: {loss: auto, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}\n";
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(masked, "m.yaml"));
    assertTrue(e.getMessage().contains("graph model 'two' masks input 'a': fine-tuning a masked graph model is not supported yet"),
        e.getMessage());
  }

  private static void assertRefused(String data, String loss, String message) {
    RecipeException e = assertThrows(RecipeException.class, () -> parse(data, loss));
    assertTrue(e.getMessage().startsWith("r.yaml") && e.getMessage().contains(message), e.getMessage());
  }
}
