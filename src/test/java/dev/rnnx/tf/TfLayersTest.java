package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.RecipeCodec;
import java.util.List;
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
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfLayers.builder("gru"));
    assertTrue(e.getMessage().contains("'gru'") && e.getMessage().contains("lstm"), e.getMessage());
  }

  @Test
  void aBuilderRefusesAnotherKindOfLayer() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Dense dense = new Dense("dense", 1, Activation.LINEAR, true);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfLayers.builder("lstm")
          .unrolled(tf, dense, Unrolled.single(tf.constant(new float[][] {{1f}})), name -> tf.constant(new float[] {0f})));
      assertTrue(e.getMessage().contains("'lstm' builder got layer 'dense' of kind 'dense'"), e.getMessage());
    }
  }

  @Test
  void unrolledValuesKnowTheirForm() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var one = tf.constant(new float[][] {{1f}});
      assertThrows(IllegalArgumentException.class, () -> new Unrolled(List.of(one, one), false));
      assertThrows(IllegalStateException.class, () -> Unrolled.sequence(List.of(one)).value());
      assertEquals(one, Unrolled.single(one).value());
    }
  }
}
