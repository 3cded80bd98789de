package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.tf.TrainingListener;
import dev.rnnx.verify.PairSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ONNX's node tests cannot cover (they are forward-only, on random weights): the exporter on
 * weights TensorFlow trained, for the options most often exported wrong — bidirectional, reverse
 * (go_backwards), peepholes, GRU with {@code linear_before_reset=0}, sequence lengths, initial
 * states as inputs and stacked layers — on all four backends, with mixed-length batches.
 */
class TrainedExportParityTest {

  private static void assertParity(String yaml, Path dir) throws Exception {
    Recipe recipe = RecipeCodec.parse(yaml, "test recipe");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RunReport report = RunPipeline.run(recipe, dir, TrainingListener.NONE, new PrintStream(log, true, StandardCharsets.UTF_8));
    String table = log.toString(StandardCharsets.UTF_8);
    assertTrue(report.passed(), table);
    Set<String> candidates = new TreeSet<>();
    for (PairSummary s : report.verification().form("model").parity().summaries()) {
      candidates.add(s.candidate());
      assertTrue(s.maxAbsErr() < 1e-5, s + "\n" + table);
    }
    assertEquals(Set.of("djl-ort", "djl-tf", "tf-java"), candidates);
    assertTrue(report.training().finalLoss() < report.training().trainLoss().get(0), "training made progress: " + table);
  }

  @Test
  void tokensWithLengthsThroughBidirectionalReversedPeepholeAndStatefulLayers(@TempDir Path dir) throws Exception {
    assertParity("""
        name: trained-tokens
        seed: 23
        model:
          input: {tokens: true, lengths: true}
          layers:
            - {type: embedding, input_dim: 8, output_dim: 5}
            - type: bidirectional
              merge_mode: ave
              layer: {type: gru, units: 6, reset_after: false, return_sequences: true}
            - {type: lstm, units: 5, peephole: true, go_backwards: true, return_sequences: true}
            - {type: lstm, units: 4, state_inputs: true}
            - {type: dense, units: 3, activation: softmax}
        data: {task: majority_tokens, vocabulary: 8, classes: 3, min_length: 1, max_length: 12, samples: 400}
        training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.02, epochs: 3, batch_size: 32,
                   clipping: {by: global_norm, threshold: 5.0}, metrics: [accuracy]}
        """, dir);
  }

  @Test
  void featuresThroughReversedRnnAndBidirectionalPeepholeLstmWithStates(@TempDir Path dir) throws Exception {
    assertParity("""
        name: trained-features
        seed: 29
        model:
          input: {features: 1}
          layers:
            - {type: simple_rnn, units: 6, activation: relu, go_backwards: true, return_sequences: true}
            - {type: gru, units: 5, return_sequences: true, state_inputs: true}
            - type: bidirectional
              merge_mode: mul
              layer: {type: lstm, units: 1, peephole: true, return_state: true, state_inputs: true}
        data: {task: sine, window: 12, samples: 300, noise: 0.05}
        training: {loss: mse, optimizer: rmsprop, learning_rate: 0.01, epochs: 3, batch_size: 16,
                   clipping: {by: value, threshold: 1.0}}
        """, dir);
  }
}
