package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

class TfLayersTest {

  @Test
  void everyRecipeLayerKindHasABuilder() {
    assertEquals(Set.copyOf(RecipeCodec.layerKinds()), Set.copyOf(TfLayers.kinds()));
    for (String kind : TfLayers.kinds()) {
      assertEquals(kind, TfLayers.builder(kind).kind());
    }
  }

  @Test
  void unknownKindIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfLayers.builder("convolution"));
    assertTrue(e.getMessage().contains("'convolution'") && e.getMessage().contains("lstm"), e.getMessage());
  }

  @Test
  void aBuilderRefusesAnotherKindOfLayer() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Dense dense = new Dense("dense", 1, Activation.LINEAR, true);
      LayerContext ctx = LayerContext.unrolled(tf, name -> tf.constant(new float[] {0f}), 1, null, Map.of());
      for (String kind : List.of("lstm", "gru", "simple_rnn", "bidirectional", "embedding", "time_distributed")) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfLayers.builder(kind)
            .unrolled(ctx, dense, Shape.of(-1, -1, 1), Unrolled.single(tf.constant(new float[][] {{1f}}))));
        assertTrue(e.getMessage().contains("'" + kind + "' builder got layer 'dense' of kind 'dense'"), e.getMessage());
      }
    }
  }

  @Test
  void unrolledValuesKnowTheirForm() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var one = tf.constant(new float[][] {{1f}});
      assertThrows(IllegalArgumentException.class, () -> Unrolled.sequence(List.of()));
      assertThrows(IllegalStateException.class, () -> Unrolled.sequence(List.of(one)).value());
      assertThrows(IllegalStateException.class, () -> Unrolled.single(one).length());
      assertEquals(one, Unrolled.single(one).value());
      Unrolled steps = Unrolled.sequence(List.of(one, one));
      assertEquals(2, steps.length());
      assertEquals(steps.tensor(tf), steps.tensor(tf), "stacked once");
      Unrolled ids = Unrolled.tokens(tf.constant(new long[][] {{1L, 2L}}), 2);
      assertTrue(ids.tokens());
      assertThrows(IllegalStateException.class, () -> ids.tensor(tf));
    }
  }
}
