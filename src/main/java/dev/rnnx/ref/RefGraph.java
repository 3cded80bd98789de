package dev.rnnx.ref;

import dev.rnnx.spec.Attention;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.GraphMasks;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Graph} model's one form, {@code model}, in double precision: the nodes in order, each
 * layer node through its kind's {@link RefForward} (cross-attention through the same attention
 * code with separate queries and values), each merge elementwise or concatenated on the last axis.
 * Masked inputs are compacted and the recurrent layers reading their masks restored as {@link
 * GraphMasks} plans ({@link MaskCompaction}).
 * Stateless and thread-safe.
 */
final class RefGraph implements ReferenceForm {

  private final Graph model;
  private final Weights weights;
  private final InputContract contract;
  private final GraphMasks masks;

  /**
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  RefGraph(Graph model, Weights weights) {
    this.model = model;
    this.weights = weights.checkFits(model);
    this.contract = model.contract();
    this.masks = model.masks();
  }

  @Override
  public Map<String, DoubleTensor> forward(Map<String, ? extends Tensor> inputs) {
    contract.check(inputs);
    Map<String, DoubleTensor> values = new HashMap<>();
    inputs.forEach((k, v) -> values.put(k, v instanceof LongTensor ids ? DoubleTensor.of(ids) : DoubleTensor.of((FloatTensor) v)));
    Map<String, DoubleTensor> compact = new HashMap<>(); // values in the compacted steps of a masked input (GraphMasks)
    Map<String, MaskCompaction> compactions = new HashMap<>();
    for (GraphInput in : model.inputs()) {
      if (masks.compacted(in.name())) {
        MaskCompaction c = MaskCompaction.of(values.get(in.name()), in.input());
        compactions.put(in.name(), c);
        compact.put(in.name(), c.x());
      }
    }
    for (GraphNode node : model.nodes()) {
      switch (masks.mode(node.name())) {
        case PLAIN -> values.put(node.name(), apply(node, node.inputs().stream().map(values::get).toList(), null));
        case COMPACT -> compact.put(node.name(), apply(node, node.inputs().stream().map(compact::get).toList(), null));
        case READER -> {
          MaskCompaction c = compactions.get(masks.source(node.name()));
          DoubleTensor raw = apply(node, List.of(compact.get(node.inputs().get(0))), c.lengths());
          if (masks.compacted(node.name())) {
            compact.put(node.name(), raw);
          }
          if (masks.restored(node.name())) {
            values.put(node.name(), c.restore(raw, node.layer()));
          }
        }
      }
    }
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    model.outputs().forEach(o -> out.put(o, values.get(o)));
    return out;
  }

  private DoubleTensor apply(GraphNode node, List<DoubleTensor> read, int[] lengths) {
    if (node.merge() != null) {
      return merge(node.merge(), read);
    }
    if (node.layer() instanceof MultiHeadAttention m && node.crossAttention()) {
      return MultiHeadAttentionForward.apply(m.name(), m.heads(), m.keyDim(), read.get(0), read.get(read.size() - 1), read.get(1), null,
          m.causal(), weights).output();
    }
    if (node.layer() instanceof Attention a && node.crossAttention()) {
      return AttentionForward.attend(a, read.get(0), read.get(read.size() - 1), read.get(1), null, weights, null);
    }
    return RefLayers.forward(node.layer()).forward(node.layer(), new RefInput(read.get(0), lengths, Map.of()), weights, null).get(0);
  }

  /** Merges tensors of one shape elementwise, concatenates them on the last axis, or takes one half of its last axis. */
  static DoubleTensor merge(GraphMerge merge, List<DoubleTensor> read) {
    DoubleTensor first = read.get(0);
    if (merge.half()) {
      int width = first.dim(-1) / 2;
      int rows = first.size() / first.dim(-1);
      long[] shape = first.shape().clone();
      shape[shape.length - 1] = width;
      double[] out = new double[rows * width];
      int from = merge == GraphMerge.FIRST_HALF ? 0 : width;
      for (int r = 0; r < rows; r++) {
        System.arraycopy(first.data(), r * 2 * width + from, out, r * width, width);
      }
      return new DoubleTensor(shape, out);
    }
    if (merge == GraphMerge.CONCATENATE) {
      long[] shape = first.shape().clone();
      int rows = first.size() / first.dim(-1);
      int width = 0;
      for (DoubleTensor t : read) {
        width += t.dim(-1);
        if (t.size() / t.dim(-1) != rows) {
          throw new IllegalArgumentException("concatenate: tensors " + java.util.Arrays.toString(first.shape()) + " and "
              + java.util.Arrays.toString(t.shape()) + " differ before the last axis");
        }
      }
      shape[shape.length - 1] = width;
      double[] out = new double[rows * width];
      int col = 0;
      for (DoubleTensor t : read) {
        int w = t.dim(-1);
        for (int r = 0; r < rows; r++) {
          System.arraycopy(t.data(), r * w, out, r * width + col, w);
        }
        col += w;
      }
      return new DoubleTensor(shape, out);
    }
    double[] out = first.data().clone();
    for (int i = 1; i < read.size(); i++) {
      DoubleTensor t = read.get(i);
      if (!java.util.Arrays.equals(t.shape(), first.shape())) {
        throw new IllegalArgumentException(merge.recipeName() + ": tensors " + java.util.Arrays.toString(first.shape()) + " and "
            + java.util.Arrays.toString(t.shape()) + " differ, expected one shape");
      }
      double[] d = t.data();
      for (int j = 0; j < out.length; j++) {
        out[j] = switch (merge) {
          case MULTIPLY -> out[j] * d[j];
          case SUBTRACT -> out[j] - d[j];
          default -> out[j] + d[j];
        };
      }
    }
    if (merge == GraphMerge.AVERAGE) {
      for (int j = 0; j < out.length; j++) {
        out[j] /= read.size();
      }
    }
    return new DoubleTensor(first.shape().clone(), out);
  }
}
