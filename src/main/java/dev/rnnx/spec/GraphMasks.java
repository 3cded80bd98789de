package dev.rnnx.spec;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keras masking in a {@link Graph}: how each node is computed when graph inputs are masked
 * ({@link ModelInput#maskValue()}, Keras's {@code Masking} right after an input or
 * {@code Embedding(mask_zero=True)}). Every face computes masks as a sequential model does (see
 * {@link Sequential}): a masked input's unmasked steps are moved to the front of each row (a stable
 * compaction) and every recurrent layer reading its mask runs on the compacted tensor with lengths
 * = their count; its output is then restored to the original steps as Keras gives it.
 *
 * <p>Keras passes a mask on through per-step layers ({@link Sequential}'s list), recurrent layers
 * returning sequences and merges (the AND of their inputs' masks). So each node has a
 * {@link Mode}: {@link Mode#PLAIN} on original values, {@link Mode#COMPACT} (a per-step layer or a
 * merge whose output only recurrent layers reading the mask use, computed on compacted values), or
 * {@link Mode#READER} (a recurrent layer or bidirectional wrapper reading a masked tensor). Refused,
 * naming the layer: a mask read by any other layer (pooling, attention, flatten), a recurrent layer
 * reading a mask that a merge combined from different masks (or from a masked and an unmasked
 * tensor), or that a {@code go_backwards} sequence passes on, a masked per-step node whose output both
 * a mask reader and something else use, and a float input masked by a value other than 0 read
 * outside recurrent layers (Keras's {@code Masking} zeroes its masked steps).
 */
public final class GraphMasks {

  /** How one node is computed. */
  public enum Mode {
    /** On its inputs' original values; its output is original. */
    PLAIN,
    /** On its inputs' compacted values (all by one masked input); its output is compacted. */
    COMPACT,
    /** A recurrent layer on its input's compacted value with that input's lengths; its output is restored where needed. */
    READER
  }

  /** The mask a tensor carries: the masked input, the layer that passes it on, whether its steps are reversed, whether mixed. */
  private record Mask(String input, String passedBy, boolean reversed, String mixedBy) {}

  private final Map<String, Mode> modes = new HashMap<>();
  private final Map<String, String> sources = new HashMap<>();
  private final Set<String> compacted = new HashSet<>();
  private final Set<String> restored = new HashSet<>();

  private GraphMasks() {}

  /**
   * The plan of a graph.
   *
   * @throws IllegalArgumentException naming the model and the layer for masks Keras reads in ways rnnx does not reproduce
   */
  static GraphMasks of(String model, List<GraphInput> inputs, List<GraphNode> nodes, List<String> outputs) {
    GraphMasks plan = new GraphMasks();
    Map<String, Mask> masks = new HashMap<>();
    Map<String, GraphInput> masked = new HashMap<>();
    for (GraphInput in : inputs) {
      if (in.input().masked()) {
        masks.put(in.name(), new Mask(in.name(), null, false, null));
        masked.put(in.name(), in);
      }
    }
    if (masked.isEmpty()) {
      nodes.forEach(n -> plan.modes.put(n.name(), Mode.PLAIN));
      return plan;
    }
    for (GraphNode node : nodes) {
      Mask out = forward(model, node, masks);
      if (out != null) {
        masks.put(node.name(), out);
      }
    }
    Map<String, Set<Mode>> demand = new HashMap<>(); // what the readers of each tensor need: COMPACT or PLAIN (original)
    outputs.forEach(o -> demand.computeIfAbsent(o, k -> new HashSet<>()).add(Mode.PLAIN));
    for (int i = nodes.size() - 1; i >= 0; i--) {
      GraphNode node = nodes.get(i);
      Set<Mode> wanted = demand.getOrDefault(node.name(), Set.of());
      Mask in = node.inputs().stream().map(masks::get).filter(m -> m != null).findFirst().orElse(null);
      Mode mode;
      if (in == null) {
        mode = Mode.PLAIN;
      } else if (reader(node)) {
        mode = Mode.READER;
        plan.sources.put(node.name(), in.input());
        if (wanted.contains(Mode.COMPACT)) {
          plan.compacted.add(node.name());
        }
        if (wanted.contains(Mode.PLAIN)) {
          plan.restored.add(node.name());
        }
      } else if (wanted.contains(Mode.COMPACT)) {
        if (wanted.contains(Mode.PLAIN)) {
          throw new IllegalArgumentException("graph model '" + model + "': " + describe(node) + " carries the mask of input '"
              + in.input() + "' to a recurrent layer and also to a layer or output that does not read it; rnnx computes a"
              + " masked per-step node once, expected its output read only by recurrent layers or only by other layers");
        }
        mode = Mode.COMPACT;
        plan.sources.put(node.name(), in.input());
      } else {
        mode = Mode.PLAIN;
      }
      plan.modes.put(node.name(), mode);
      Mode need = mode == Mode.PLAIN ? Mode.PLAIN : Mode.COMPACT;
      node.inputs().forEach(t -> demand.computeIfAbsent(t, k -> new HashSet<>()).add(need));
    }
    for (GraphInput in : masked.values()) {
      Set<Mode> wanted = demand.getOrDefault(in.name(), Set.of());
      if (wanted.contains(Mode.COMPACT)) {
        plan.compacted.add(in.name());
      } else {
        throw new IllegalArgumentException("graph model '" + model + "': input '" + in.name() + "' is masked (mask_value) but no"
            + " recurrent layer reads its mask");
      }
      if (wanted.contains(Mode.PLAIN) && !in.input().tokens() && in.input().maskValue() != 0) {
        throw new IllegalArgumentException("graph model '" + model + "': input '" + in.name() + "' is masked by "
            + in.input().maskValue() + " and read by a layer other than a recurrent one (Keras's Masking outputs zeros at its"
            + " masked steps there); expected mask_value 0, or only recurrent layers reading the mask");
      }
    }
    return plan;
  }

  /** The mask a node's output carries (null for none), refusing the mask readers rnnx does not reproduce. */
  private static Mask forward(String model, GraphNode node, Map<String, Mask> masks) {
    List<Mask> read = node.inputs().stream().map(masks::get).toList();
    Mask first = read.stream().filter(m -> m != null).findFirst().orElse(null);
    if (first == null) {
      return null;
    }
    if (node.merge() != null) {
      boolean same = read.stream().allMatch(m -> m != null && m.input().equals(first.input()) && m.mixedBy() == null);
      boolean reversed = read.stream().anyMatch(m -> m != null && m.reversed());
      return new Mask(first.input(), first.passedBy(), reversed, same ? null : node.name());
    }
    Layer layer = node.layer();
    if (reader(node)) {
      if (first.mixedBy() != null) {
        throw new IllegalArgumentException("graph model '" + model + "': layer '" + layer.name() + "' would read the mask that"
            + " merge '" + first.mixedBy() + "' combines from different masks (or from a masked and an unmasked tensor);"
            + " expected a recurrent layer to read the mask of one input");
      }
      if (first.reversed()) {
        throw new IllegalArgumentException("graph model '" + model + "': layer '" + layer.name() + "' would read the mask that '"
            + first.passedBy() + "' (go_backwards) passes on with its reversed sequence (Keras pairs the unreversed mask with"
            + " it); expected only " + new TreeSet<>(Sequential.PER_STEP) + " after a masked go_backwards sequence output");
      }
      boolean sequences = layer.outputShapes(Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, 1)).get(0).rank() == 3;
      return sequences ? new Mask(first.input(), layer.name(), Bidirectional.reversesTime(layer), null) : null;
    }
    if (layer instanceof GlobalMaxPooling && first.passedBy() != null && node.inputs().size() == 1) {
      return null; // Keras's ignores the mask: the max over every step of the restored sequence
    }
    if (!Sequential.PER_STEP.contains(layer.kind()) || node.inputs().size() > 1) {
      throw new IllegalArgumentException("graph model '" + model + "': " + describe(node) + " would read the mask "
          + (first.passedBy() == null ? "of input '" + first.input() + "'" : "that '" + first.passedBy() + "' passes on with its"
              + " sequence") + "; expected only " + new TreeSet<>(Sequential.PER_STEP) + ", recurrent layers, merges or model"
          + " outputs after a masked tensor");
    }
    return first;
  }

  /** A node that reads its input's mask: a recurrent layer, or an average pooling (Keras's mean over the unmasked steps). */
  private static boolean reader(GraphNode node) {
    return node.layer() instanceof RecurrentLayer || node.layer() instanceof Bidirectional
        || node.layer() instanceof GlobalAveragePooling;
  }

  private static String describe(GraphNode node) {
    return (node.layer() != null ? "layer '" : "merge '") + node.name() + "' (" + node.kind() + ")";
  }

  /** Whether any graph input is masked. */
  public boolean any() {
    return !sources.isEmpty() || !compacted.isEmpty();
  }

  /** How a node is computed. */
  public Mode mode(String node) {
    return modes.getOrDefault(node, Mode.PLAIN);
  }

  /** The masked graph input whose compaction a {@link Mode#COMPACT} or {@link Mode#READER} node runs in, or null. */
  public String source(String node) {
    return sources.get(node);
  }

  /** Whether the compacted value of a tensor (a masked input, a reader's sequence output) is read. */
  public boolean compacted(String tensor) {
    return compacted.contains(tensor);
  }

  /** Whether a {@link Mode#READER} node's output is read restored to the original steps (or with empty rows zeroed). */
  public boolean restored(String node) {
    return restored.contains(node);
  }
}
