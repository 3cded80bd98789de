package dev.rnnx.imports.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnx.imports.ImportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code Bidirectional} with {@code merge_mode: None} returns two tensors, its forward and its
 * backward output. rnnx imports it where the next layer merges exactly those two: the pair becomes
 * one {@code Bidirectional} with the merge mode of that layer ({@code Concatenate} on the last axis
 * of {@code [forward, backward]} → {@code concat}, {@code Add} → {@code sum}, {@code Multiply} →
 * {@code mul}, {@code Average} → {@code ave}). Anything else (the two outputs as the model's
 * outputs or read by different layers, a {@code Concatenate} of {@code [backward, forward]}) is a
 * graph ({@link #unfoldable}): {@link KerasGraphImport} reads each output as a half of the
 * layer's {@code concat}.
 */
final class KerasMergeFold {

  /** The Keras merge layers a {@code merge_mode: None} pair may feed, and the merge mode each gives. */
  static final Map<String, String> MERGES = Map.of("Concatenate", "concat", "Add", "sum", "Multiply", "mul", "Average", "ave");

  private KerasMergeFold() {}

  /** Whether a layer is a {@code Bidirectional} with {@code merge_mode: None} (two outputs). */
  static boolean none(KerasLayerConfig k) {
    JsonNode mode = k.config().path("merge_mode");
    return k.className().equals("Bidirectional") && (mode.isNull() || mode.isMissingNode());
  }

  /**
   * Whether a chain holds a {@code Bidirectional(merge_mode=None)} that {@link #fold} cannot fold
   * (no merge layer of both outputs in the order {@code [forward, backward]} follows it): such a
   * model is imported as a graph, whose nodes read each output.
   */
  static boolean unfoldable(List<KerasLayerConfig> chain) {
    if (chain.stream().noneMatch(KerasMergeFold::none)) {
      return false;
    }
    try {
      return fold("", chain).stream().anyMatch(KerasMergeFold::none);
    } catch (ImportException e) {
      return true;
    }
  }

  /** The chain with every {@code Bidirectional(merge_mode=None)} → merge-layer pair folded into one layer. */
  static List<KerasLayerConfig> fold(String source, List<KerasLayerConfig> chain) {
    List<KerasLayerConfig> out = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      KerasLayerConfig k = chain.get(i);
      if (!none(k) || i + 1 >= chain.size() || !MERGES.containsKey(chain.get(i + 1).className())) {
        out.add(k);
        continue;
      }
      KerasLayerConfig merge = chain.get(i + 1);
      List<Integer> tensors = new ArrayList<>();
      collect(merge.inbound(), k.name(), tensors);
      String refuse = source + ": layer '" + merge.name() + "' (" + merge.className() + ") merges the outputs of '" + k.name()
          + "' (merge_mode None) ";
      if (!(tensors.size() == 2 && tensors.contains(0) && tensors.contains(1))) {
        throw new ImportException(refuse + "as tensors " + tensors + ", expected both, [forward, backward] (0 and 1)");
      }
      if (merge.className().equals("Concatenate")) {
        int axis = merge.config().path("axis").asInt(-1);
        if (!tensors.equals(List.of(0, 1)) || (axis != -1 && axis != 2)) {
          throw new ImportException(refuse + "in the order " + tensors + " on axis " + axis
              + ", expected [forward, backward] (0, 1) on the last axis (-1)");
        }
      }
      out.add(withMergeMode(k, MERGES.get(merge.className())));
      i++;
    }
    return out;
  }

  /** The layer with its config's {@code merge_mode} set to {@code mode}. */
  static KerasLayerConfig withMergeMode(KerasLayerConfig k, String mode) {
    ObjectNode config = k.config().deepCopy();
    config.put("merge_mode", mode);
    return new KerasLayerConfig(k.className(), k.name(), config, k.weightsKey(), k.inbound(), k.nestedIn());
  }

  /**
   * The tensor indices of {@code layer} that a call reads: Keras 2's {@code ["layer", node, tensor,
   * kwargs]} entries, Keras 3's {@code keras_history: ["layer", node, tensor]}.
   */
  private static void collect(JsonNode n, String layer, List<Integer> tensors) {
    if (n.isObject()) {
      JsonNode h = n.path("keras_history");
      if (h.isArray()) {
        if (layer.equals(h.path(0).asText()) && h.path(2).canConvertToInt()) {
          tensors.add(h.path(2).asInt());
        }
        return;
      }
      n.forEach(v -> collect(v, layer, tensors));
    } else if (n.isArray()) {
      if (n.size() >= 3 && n.get(0).isTextual() && n.get(1).isInt() && n.get(2).isInt()) {
        if (layer.equals(n.get(0).asText())) {
          tensors.add(n.get(2).asInt());
        }
        return;
      }
      n.forEach(v -> collect(v, layer, tensors));
    }
  }
}
