package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph model kind: its recipe round trip, shapes, parameter names, and the graphs it refuses. */
class GraphTest {

  static final String RECIPE = """
      name: g
      seed: 1
      model:
        type: graph
        name: two
        inputs: [{name: a, features: 3}, {name: b, tokens: true}]
        nodes:
          - {type: gru, name: enc, units: 4, return_sequences: true, inputs: [a]}
          - {type: embedding, name: emb, input_dim: 9, output_dim: 5, inputs: [b]}
          - {type: multi_head_attention, name: cross, heads: 2, key_dim: 3, inputs: [emb, enc]}
          - {type: attention, name: dot, score: dot, inputs: [enc, enc]}
          - {type: add, name: res, inputs: [emb, cross]}
          - {type: subtract, name: sub, inputs: [res, emb]}
          - {type: multiply, name: mul, inputs: [res, sub, emb]}
          - {type: average, name: avg, inputs: [mul, res]}
          - {type: concatenate, name: cat, inputs: [avg, emb]}
          - {type: global_max_pooling, name: pool, inputs: [cat]}
          - {type: dense, name: out, units: 2, inputs: [pool]}
        outputs: [out, cat]
      data: {task: imported, length: 4, source: x.h5, sha256: "abc", format: keras-h5, framework: keras, framework_version: "2.4.0"}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  @Test
  void aGraphRoundTripsThroughItsRecipeWithShapesAndParameters() {
    Recipe r = RecipeCodec.parse(RECIPE, "recipe");
    Graph g = (Graph) r.model();
    assertEquals(g, RecipeCodec.parse(RecipeCodec.write(r), "again").model());
    assertEquals(Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, 10), g.tensorShapes().get("cat"));
    assertEquals(List.of("out", "cat"), g.forms().get(0).outputs().stream().map(TensorSpec::name).toList());
    ParameterSpec key = g.parameters().stream().filter(p -> p.name().equals("cross/key/kernel")).findFirst().orElseThrow();
    assertEquals(List.of(4, 6), java.util.Arrays.stream(key.shape()).boxed().toList()); // the value's width, enc's 4
    assertEquals(Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, 4), g.tensorShapes().get("dot")); // attention's output has the value's width
    assertEquals("b", g.timeSources().get("cat"));
    assertEquals(List.of("batch", "time_a"), g.contract().input("a").axes().subList(0, 2).stream().map(InputContract.Axis::symbol).toList());
  }

  @Test
  void halvesSplitTheLastAxisOfOneTensor() {
    String halves = RECIPE.replace("{type: global_max_pooling, name: pool, inputs: [cat]}",
        "{type: second_half, name: half, inputs: [cat]}\n    - {type: global_max_pooling, name: pool, inputs: [half]}");
    Recipe r = RecipeCodec.parse(halves, "recipe");
    Graph g = (Graph) r.model();
    assertEquals(g, RecipeCodec.parse(RecipeCodec.write(r), "again").model());
    assertEquals(Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, 5), g.tensorShapes().get("half"));
    assertEquals(List.of(5, 2), java.util.Arrays.stream(g.parameters().stream().filter(p -> p.name().equals("out/kernel"))
        .findFirst().orElseThrow().shape()).boxed().toList());
    String odd = halves.replace("inputs: [cat]}", "inputs: [emb]}");
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(odd, "recipe"));
    assertTrue(e.getMessage().contains("merge node 'half' (second_half) reads [(None, None, 5)], expected one tensor whose last axis"
        + " has an even, fixed width"), e.getMessage());
    String two = halves.replace("inputs: [cat]}", "inputs: [cat, cat]}");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(two, "recipe"));
    assertTrue(e.getMessage().contains("merge node 'half' (second_half) reads"), e.getMessage());
  }

  @Test
  void badGraphsAreRefusedNamingTheNode() {
    String cycle = RECIPE.replace("inputs: [emb, enc]}", "inputs: [emb, res]}");
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(cycle, "recipe"));
    assertTrue(e.getMessage().contains("node 'cross' reads 'res', which is neither an input nor an earlier node"), e.getMessage());
    String merge = RECIPE.replace("{type: subtract, name: sub, inputs: [res, emb]}", "{type: subtract, name: sub, inputs: [res, emb, emb]}");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(merge, "recipe"));
    assertTrue(e.getMessage().contains("merge node 'sub' (subtract) has 3 input(s), expected exactly 2"), e.getMessage());
    String shapes = RECIPE.replace("{type: add, name: res, inputs: [emb, cross]}", "{type: add, name: res, inputs: [emb, enc]}");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(shapes, "recipe"));
    assertTrue(e.getMessage().contains("merge node 'res' (add) reads shapes"), e.getMessage());
    String tokens = RECIPE.replace("{type: gru, name: enc, units: 4, return_sequences: true, inputs: [a]}",
        "{type: gru, name: enc, units: 4, return_sequences: true, inputs: [b]}");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(tokens, "recipe"));
    assertTrue(e.getMessage().contains("token ids are read only by an embedding"), e.getMessage());
    String output = RECIPE.replace("outputs: [out, cat]", "outputs: [out, a]");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(output, "recipe"));
    assertTrue(e.getMessage().contains("output 'a' is not a node"), e.getMessage());
  }

  @Test
  void aSharedLayerIsOneNodePerCallWithOneSetOfParameters() {
    String shared = RECIPE.replace("{type: dense, name: out, units: 2, inputs: [pool]}",
        "{type: dense, name: out, units: 2, inputs: [pool]}\n    - {type: dense, name: out, node: out_call2, units: 2, inputs: [pool]}")
        .replace("outputs: [out, cat]", "outputs: [out, out_call2]");
    Recipe r = RecipeCodec.parse(shared, "recipe");
    Graph g = (Graph) r.model();
    assertEquals(g, RecipeCodec.parse(RecipeCodec.write(r), "again").model()); // the call's node name round-trips
    GraphNode call = g.nodes().get(g.nodes().size() - 1);
    assertTrue(call.call());
    assertEquals("out", call.layer().name());
    assertEquals("out_call2", call.callLayer().name());
    assertEquals(1, g.parameters().stream().filter(p -> p.name().equals("out/kernel")).count());
    assertTrue(g.parameters().stream().noneMatch(p -> p.name().startsWith("out_call2/")));
    List<Shape> read = List.of(g.tensorShapes().get("pool"));
    assertEquals(java.util.Map.of("out_call2/kernel", "out/kernel", "out_call2/bias", "out/bias"), call.sharedParameters(read));
    String other = shared.replace("{type: dense, name: out, node: out_call2, units: 2,", "{type: dense, name: out, node: out_call2, units: 3,");
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(other, "recipe"));
    assertTrue(e.getMessage().contains("node 'out_call2' calls layer 'out', which an earlier node holds configured otherwise"),
        e.getMessage());
    String orphan = shared.replace("{type: dense, name: out, units: 2, inputs: [pool]}", "{type: dense, name: top, units: 2, inputs: [pool]}")
        .replace("outputs: [out, out_call2]", "outputs: [top, out_call2]");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(orphan, "recipe"));
    assertTrue(e.getMessage().contains("which no earlier node named as the layer holds"), e.getMessage());
  }
}
