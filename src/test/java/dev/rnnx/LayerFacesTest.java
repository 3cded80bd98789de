package dev.rnnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.onnx.OnnxConverters;
import dev.rnnx.ref.RefLayers;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.tf.TfLayers;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every layer kind a recipe can name has all four faces: the {@code spec} record (readable from a
 * recipe), a TensorFlow builder, an ONNX converter and a reference forward. Adding a kind to one
 * table and not the others fails here.
 */
class LayerFacesTest {

  @Test
  void everyLayerKindHasEveryFace() {
    Set<String> kinds = new TreeSet<>(RecipeCodec.layerKinds());
    assertEquals(kinds, new TreeSet<>(TfLayers.kinds()), "tf builders");
    assertEquals(kinds, new TreeSet<>(OnnxConverters.kinds()), "onnx converters");
    assertEquals(kinds, new TreeSet<>(RefLayers.kinds()), "ref forwards");
  }
}
