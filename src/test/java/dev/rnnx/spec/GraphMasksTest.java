package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How masked graph inputs flow through a graph's nodes, and the masked graphs refused naming the layer. */
class GraphMasksTest {

  static final String RECIPE = """
      name: g
      seed: 1
      model:
        type: graph
        name: masked
        inputs: [{name: a, features: 3, mask_value: 0.0}, {name: b, tokens: true, mask_value: 0}, {name: c, features: 2}]
        nodes:
          - {type: dense, name: proj, units: 4, inputs: [a]}
          - {type: lstm, name: enc, units: 4, return_sequences: true, inputs: [proj]}
          - {type: gru, name: last, units: 3, inputs: [enc]}
          - {type: dense, name: step, units: 2, inputs: [enc]}
          - {type: embedding, name: emb, input_dim: 9, output_dim: 4, inputs: [b]}
          - {type: gru, name: tok, units: 3, inputs: [emb]}
          - {type: lstm, name: plain, units: 3, inputs: [c]}
          - {type: concatenate, name: cat, inputs: [last, tok, plain]}
        outputs: [cat, step]
      data: {task: imported, length: 4, source: x.h5, sha256: "abc", format: keras-h5, framework: keras, framework_version: "2.4.0"}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  static Graph graph(String recipe) {
    return (Graph) RecipeCodec.parse(recipe, "recipe").model();
  }

  @Test
  void eachNodeRunsOnCompactedOrOriginalStepsAsItsReadersNeed() {
    Recipe r = RecipeCodec.parse(RECIPE, "recipe");
    Graph g = (Graph) r.model();
    assertEquals(g, RecipeCodec.parse(RecipeCodec.write(r), "again").model()); // mask_value round-trips
    assertEquals(0.0, g.input("a").input().maskValue());
    GraphMasks m = g.masks();
    assertTrue(m.any());
    assertEquals(GraphMasks.Mode.COMPACT, m.mode("proj")); // only the LSTM reads it: on compacted steps
    assertEquals(GraphMasks.Mode.READER, m.mode("enc"));
    assertEquals("a", m.source("enc"));
    assertTrue(m.compacted("enc")); // the stacked GRU reads its compacted sequence
    assertTrue(m.restored("enc")); // the per-step dense reads it at the original steps
    assertEquals(GraphMasks.Mode.READER, m.mode("last"));
    assertFalse(m.compacted("last"));
    assertEquals(GraphMasks.Mode.PLAIN, m.mode("step"));
    assertEquals(GraphMasks.Mode.COMPACT, m.mode("emb"));
    assertEquals("b", m.source("tok"));
    assertEquals(GraphMasks.Mode.PLAIN, m.mode("plain"));
    assertEquals(GraphMasks.Mode.PLAIN, m.mode("cat"));
    assertTrue(m.compacted("a") && m.compacted("b") && !m.compacted("c"));
    assertFalse(graph(RECIPE.replace(", mask_value: 0.0}", "}").replace(", mask_value: 0}", "}")).masks().any());
  }

  @Test
  void anAveragePoolingReadsTheMaskAndAMaxPoolingReadsTheRestoredSequence() {
    GraphMasks m = graph(RECIPE.replace("{type: dense, name: step, units: 2, inputs: [enc]}",
        "{type: global_average_pooling, name: step, inputs: [enc]}\n    - {type: global_max_pooling, name: top, inputs: [enc]}")
        .replace("{type: gru, name: tok, units: 3, inputs: [emb]}",
            "{type: gru, name: tok, units: 3, inputs: [emb]}\n    - {type: global_average_pooling, name: bag, inputs: [emb]}")
        .replace("outputs: [cat, step]", "outputs: [cat, step, bag, top]")).masks();
    assertEquals(GraphMasks.Mode.READER, m.mode("step"));
    assertTrue(m.restored("step") && !m.compacted("step"));
    assertEquals("a", m.source("step"));
    assertEquals(GraphMasks.Mode.READER, m.mode("bag"));
    assertEquals("b", m.source("bag"));
    assertEquals(GraphMasks.Mode.PLAIN, m.mode("top")); // Keras's max pooling ignores the mask
    assertTrue(m.restored("enc") && m.compacted("enc"));
  }

  @Test
  void masksKerasReadsOtherwiseAreRefusedNamingTheLayer() {
    refused(RECIPE.replace("{type: dense, name: step, units: 2, inputs: [enc]}",
        "{type: attention, name: step, score: dot, inputs: [enc]}"),
        "layer 'step' (attention) would read the mask that 'enc' passes on with its sequence");
    refused(RECIPE.replace("{type: gru, name: tok, units: 3, inputs: [emb]}",
        "{type: gru, name: tok, units: 3, inputs: [emb]}\n    - {type: global_max_pooling, name: step2, inputs: [emb]}"),
        "layer 'step2' (global_max_pooling) would read the mask of input 'b'");
    refused(RECIPE.replace("{type: gru, name: last, units: 3, inputs: [enc]}",
        "{type: concatenate, name: mix, inputs: [enc, c]}\n    - {type: gru, name: last, units: 3, inputs: [mix]}"),
        "layer 'last' would read the mask that merge 'mix' combines from different masks");
    refused(RECIPE.replace("{type: lstm, name: enc, units: 4, return_sequences: true, inputs: [proj]}",
        "{type: lstm, name: enc, units: 4, return_sequences: true, go_backwards: true, inputs: [proj]}"),
        "layer 'last' would read the mask that 'enc' (go_backwards) passes on");
    refused(RECIPE.replace("outputs: [cat, step]", "outputs: [cat, step, proj]"),
        "layer 'proj' (dense) carries the mask of input 'a' to a recurrent layer and also to a layer or output");
    refused(RECIPE.replace("mask_value: 0.0}", "mask_value: -1.0}").replace("outputs: [cat, step]", "outputs: [cat, step, a_copy]")
        .replace("{type: embedding,", "{type: dense, name: a_copy, units: 2, inputs: [a]}\n    - {type: embedding,"),
        "input 'a' is masked by -1.0 and read by a layer other than a recurrent one");
    refused(RECIPE.replace("{name: c, features: 2}", "{name: c, features: 2, mask_value: 0.0}")
        .replace("{type: lstm, name: plain, units: 3, inputs: [c]}", "{type: dense, name: plain, units: 3, inputs: [c]}")
        .replace("inputs: [last, tok, plain]", "inputs: [last, tok]").replace("outputs: [cat, step]", "outputs: [cat, step, plain]"),
        "input 'c' is masked (mask_value) but no recurrent layer reads its mask");
  }

  private static void refused(String recipe, String message) {
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(recipe, "recipe"));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
