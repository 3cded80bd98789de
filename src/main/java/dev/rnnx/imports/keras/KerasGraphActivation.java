package dev.rnnx.imports.keras;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TimeDistributed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras {@code Activation} layer in a functional graph, folded into the {@code Dense} (or
 * {@code TimeDistributed(Dense)}) node it reads, as a chain folds it: the Dense must have activation
 * linear and no other reader. The folded node keeps the Dense's name, or takes the Activation's
 * (its parameters renamed with it) when the Activation is a model output, so that the output keeps
 * Keras's name.
 */
final class KerasGraphActivation {

  private KerasGraphActivation() {}

  /**
   * Folds {@code k} into the node it reads, in place.
   *
   * @param read the graph tensor {@code k} reads
   * @param readers how many layers (and model outputs) read that tensor, {@code k} included
   * @param output whether {@code k} is a model output
   * @return the folded node's name
   */
  static String fold(KerasLayers mapper, KerasLayerConfig k, String read, int readers, boolean output, List<GraphNode> nodes,
      Map<String, Shape> shapes, Map<String, FloatTensor> weights) {
    int at = -1;
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).name().equals(read)) {
        at = i;
      }
    }
    Layer prev = at < 0 ? null : nodes.get(at).layer();
    Dense dense = prev instanceof Dense d ? d : prev instanceof TimeDistributed t ? t.layer() : null;
    if (dense == null || dense.activation() != dev.rnnx.spec.Activation.LINEAR || readers > 1) {
      throw mapper.refuse(k, "reads '" + read + "'; rnnx imports an Activation layer only right after a Dense layer with"
          + " activation linear that nothing else reads");
    }
    String name = output ? KerasLayers.layerName(k.name()) : prev.name();
    Dense withAct = new Dense(prev instanceof TimeDistributed ? dense.name() : name, dense.units(),
        mapper.activation(k.config(), "activation", "linear", k, false), dense.useBias(), dense.kernelInitializer(),
        dense.biasInitializer());
    Layer folded = prev instanceof TimeDistributed ? new TimeDistributed(name, withAct) : withAct;
    if (!name.equals(prev.name())) { // the parameters follow the node's new name
      Map<String, FloatTensor> renamed = new LinkedHashMap<>();
      for (var e : new ArrayList<>(weights.entrySet())) {
        String key = e.getKey().startsWith(prev.name() + "/") ? name + e.getKey().substring(prev.name().length()) : e.getKey();
        renamed.put(key, e.getValue());
      }
      weights.clear();
      weights.putAll(renamed);
      shapes.put(name, shapes.get(prev.name()));
    }
    nodes.set(at, new GraphNode(name, folded, null, nodes.get(at).inputs()));
    return name;
  }
}
