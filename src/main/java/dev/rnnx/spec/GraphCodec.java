package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML of a {@link Graph} model, the {@code graph} entry of {@link ModelCodec}'s table:
 *
 * <pre>
 * model:
 *   type: graph
 *   name: two_inputs
 *   inputs: [{name: a, features: 3, mask_value: 0.0}, {name: b, tokens: true}]
 *   nodes:
 *     - {type: lstm, name: enc, units: 4, return_sequences: true, inputs: [a]}
 *     - {type: multi_head_attention, name: cross, heads: 2, key_dim: 3, inputs: [dec, enc]}
 *     - {type: concatenate, name: cat, inputs: [x, y]}
 *   outputs: [out1, out2]
 * </pre>
 *
 * A layer node is a layer mapping as in a sequential model ({@link LayerCodec}) plus its
 * {@code inputs}; a merge node's type is a {@link GraphMerge} name. A later call of a shared layer
 * repeats the layer's mapping with {@code node: <its own name>}.
 */
final class GraphCodec {

  private GraphCodec() {}

  static Graph read(RecipeNode n, String name) {
    List<GraphInput> inputs = new ArrayList<>();
    for (RecipeNode item : n.list("inputs")) {
      String inputName = item.string("name");
      boolean tokens = item.bool("tokens", false);
      double maskValue = item.number("mask_value", Double.NaN);
      ModelInput input = RecipeCodec.checked(item, () -> new ModelInput(tokens, tokens ? 1 : item.integer("features"), false,
          maskValue));
      item.rejectUnknown();
      inputs.add(RecipeCodec.checked(item, () -> new GraphInput(inputName, input)));
    }
    List<GraphNode> nodes = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (RecipeNode item : n.list("nodes")) {
      List<String> reads = item.strings("inputs");
      String type = item.string("type");
      GraphMerge merge = GraphMerge.fromRecipeName(type);
      if (merge != null) {
        String nodeName = item.string("name");
        item.rejectUnknown();
        nodes.add(RecipeCodec.checked(item, () -> new GraphNode(nodeName, null, merge, reads)));
      } else {
        String call = item.string("node", ""); // a later call of a shared layer: the node's own name
        Layer layer = LayerCodec.read(item, counts);
        nodes.add(RecipeCodec.checked(item, () -> new GraphNode(call.isEmpty() ? layer.name() : call, layer, null, reads)));
      }
    }
    List<String> outputs = n.strings("outputs");
    try {
      return new Graph(name, inputs, nodes, outputs);
    } catch (IllegalArgumentException e) {
      throw n.error("nodes", e.getMessage());
    }
  }

  static Map<String, Object> write(Graph g) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (GraphInput in : g.inputs()) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("name", in.name());
      if (in.input().tokens()) {
        i.put("tokens", true);
      } else {
        i.put("features", in.input().features());
      }
      if (in.input().masked()) {
        i.put("mask_value", in.input().maskValue());
      }
      inputs.add(i);
    }
    m.put("inputs", inputs);
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (GraphNode node : g.nodes()) {
      Map<String, Object> item;
      if (node.layer() != null) {
        item = LayerCodec.write(node.layer());
        if (node.call()) {
          item.put("node", node.name());
        }
      } else {
        item = new LinkedHashMap<>();
        item.put("type", node.merge().recipeName());
        item.put("name", node.name());
      }
      item.put("inputs", node.inputs());
      nodes.add(item);
    }
    m.put("nodes", nodes);
    m.put("outputs", g.outputs());
    return m;
  }
}
