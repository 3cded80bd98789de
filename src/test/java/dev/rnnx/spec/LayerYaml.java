package dev.rnnx.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.HashMap;

/**
 * One layer through the recipe codec on its own ({@link LayerCodec}'s writer to YAML text and its
 * reader back), for tests outside {@code spec} that check every layer kind.
 */
public final class LayerYaml {

  private static final YAMLMapper YAML = new YAMLMapper();

  private LayerYaml() {}

  /** The YAML text of a layer, as a recipe's {@code layers} item. */
  public static String write(Layer layer) {
    try {
      return YAML.writeValueAsString(LayerCodec.write(layer));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads one {@code layers} item. */
  public static Layer read(String yaml) {
    try {
      return LayerCodec.read(new RecipeNode("layer", "layers[0]", YAML.readTree(yaml)), new HashMap<>());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
