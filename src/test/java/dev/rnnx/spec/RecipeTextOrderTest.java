package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The recipe text rnnx records (in weights.safetensors, model.onnx and the SavedModel) has every
 * mapping in declared order. A hash-ordered map ({@code Map.of}) changes its order from one JVM to
 * the next, so one JVM cannot show that order is random; the test pins the declared order instead.
 */
class RecipeTextOrderTest {

  @Test
  void everyMappingIsWrittenInDeclaredOrder() {
    String text = RecipeCodec.write(RecipeCodec.read(Path.of("models/dates-attention.yaml")));
    Matcher top = Pattern.compile("(?m)^([a-z_]+):").matcher(text);
    List<String> keys = new ArrayList<>();
    while (top.find()) {
      keys.add(top.group(1));
    }
    assertEquals(List.of("name", "description", "seed", "model", "data", "training", "export", "tolerances"), keys, text);
    assertTrue(text.contains("  clipping:\n    by: global_norm\n    threshold: 5.0\n"), text);
    assertTrue(text.contains("export:\n  opset: 17\n  max_sequence_length: 100\ntolerances:\n  atol: 3.0E-5\n  rtol: 1.0E-5\n"),
        text);
  }
}
