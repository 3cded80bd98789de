package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link SimpleRnn}, {@link Lstm}, {@link Gru} and {@link Bidirectional} as ONE native ONNX
 * recurrent node ({@code RNN}, {@code LSTM}, {@code GRU}) per layer, never unrolled.
 *
 * <pre>
 * input [B, T, I] ─Transpose(1,0,2)─▶ X [T, B, I] ─RNN/GRU/LSTM─▶ Y [T, dirs, B, H], Y_h [dirs, B, H], (Y_c)
 *
 * one direction (direction = forward, or reverse for go_backwards):
 *   return_sequences:  Y ─Squeeze(1)─▶ [T, B, H] (─ReverseSequence(lengths)─ or ─Slice(step −1)─ for go_backwards)
 *                        ─Transpose(1,0,2)─▶ output [B, T, H]
 *   otherwise:         Y_h ─Squeeze(0)─▶ output [B, H]
 *   return_state:      Y_h ─Squeeze(0)─▶ state_h (Identity of output when that is Y_h), Y_c ─Squeeze(0)─▶ state_c
 *
 * bidirectional (direction = bidirectional; ONNX aligns the backward half with input time):
 *   return_sequences:  Y ─Gather(axis 1, 0 | 1)─▶ f, b [T, B, H] ─merge─▶ ─Transpose(1,0,2)─▶ output
 *   otherwise:         Y_h ─Gather(axis 0, 0 | 1)─▶ f, b [B, H] ─merge─▶ output
 *   merge: concat = Concat([f, b], last axis); sum = Add; mul = Mul; ave = Mul(Add, 0.5)
 *   return_state:      Y_h, Y_c ─Gather(axis 0, d)─▶ state_forward_h, state_forward_c, state_backward_h, …
 *   go_backwards inside (Keras's halves swapped): W, R, B stacked [backward, forward]; f, b = Y[:, 1], Y[:, 0]
 *                      (Y_h likewise); a merged sequence ─ReverseSequence(lengths) or Slice(step −1)─▶ processing order
 * </pre>
 *
 * <p>Options: a model {@code lengths} input is every node's {@code sequence_lens} (ONNX zero-fills
 * {@code Y} past each length and {@code Y_h} holds the last valid step, rnnx's promised
 * semantics); with {@code go_backwards} the op runs {@code direction=reverse}, whose {@code Y} is
 * aligned with input time, and a sequence output is put back in processing order (output step t =
 * {@code Y[L−1−t]}) by {@code ReverseSequence} on the lengths, or by a {@code Slice} with step −1
 * over the whole padded length when the model has no lengths; state inputs {@code <layer>_h0}
 * {@code [B, H]} become {@code initial_h [dirs, B, H]} through {@code Unsqueeze} (and
 * {@code Concat} of the two directions).
 *
 * <p>Weights go through {@link GateLayout} ({@code converters/gate-orders.yaml}): Keras kernels
 * {@code [I, G·H]} and recurrent kernels {@code [H, G·H]} become {@code W [dirs, G·H, I]},
 * {@code R [dirs, G·H, H]}; biases {@code B [dirs, 2·G·H]} (input bias, then recurrent bias:
 * GRU's second row with {@code reset_after}, zeros otherwise); LSTM peepholes {@code [3H]} (i, f,
 * o) become {@code P [dirs, 3H]} (i, o, f). GRU's {@code reset_after} is
 * {@code linear_before_reset=1}. Activations are listed per direction ({@link ActivationOps#recurrent}).
 * The op runs time-major ({@code layout=0}): ONNX Runtime's CPU kernels reject {@code layout=1}.
 */
final class RecurrentConverter implements LayerConverter {

  /** The first opset with {@code ReverseSequence} and {@code Slice} steps, which go_backwards sequences need. */
  static final int GO_BACKWARDS_SEQUENCES_OPSET = 10;

  private final GateLayout gates;

  RecurrentConverter(GateLayout gates) {
    this.gates = gates;
  }

  /** The ONNX op of a cell, its name in {@code gate-orders.yaml}, and its activations per direction. */
  private record CellOp(String op, String cell, List<Activation> activations) {

    static CellOp of(RecurrentLayer layer) {
      if (layer instanceof Lstm l) {
        return new CellOp("LSTM", "lstm", List.of(l.recurrentActivation(), l.activation(), l.activation()));
      }
      if (layer instanceof Gru g) {
        return new CellOp("GRU", "gru", List.of(g.recurrentActivation(), g.activation()));
      }
      return new CellOp("RNN", "rnn", List.of(((SimpleRnn) layer).activation()));
    }
  }

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights,
      GraphBuilder graph) {
    Bidirectional bi = layer instanceof Bidirectional b ? b : null;
    RecurrentLayer rnn = bi != null ? bi.layer() : (RecurrentLayer) layer;
    String n = layer.name();
    int dirs = bi != null ? 2 : 1;
    CellOp cell = CellOp.of(rnn);
    boolean reorder = rnn.goBackwards() && rnn.returnSequences();
    if (reorder && graph.opset() < GO_BACKWARDS_SEQUENCES_OPSET) {
      throw new OnnxExportException("layer '" + n + "': go_backwards with return_sequences needs opset "
          + GO_BACKWARDS_SEQUENCES_OPSET + " or newer (ReverseSequence, Slice with steps) to put the outputs in"
          + " processing order, got opset " + graph.opset() + "; export at opset " + GO_BACKWARDS_SEQUENCES_OPSET
          + "+ or set return_sequences: false");
    }

    String x = n + "/X";
    graph.transpose(n + "/to_time_major", input, x, 1, 0, 2);

    // ONNX's direction 0 reads forwards: with go_backwards a Bidirectional's forward parameters read backwards (direction 1)
    List<String> directions = bi != null && bi.reversed()
        ? List.of(Bidirectional.DIRECTIONS.get(1), Bidirectional.DIRECTIONS.get(0)) : Bidirectional.DIRECTIONS;
    List<String> prefixes = bi != null ? directions.stream().map(bi::directionPrefix).toList() : List.of(n + "/");
    List<String> inputs = new ArrayList<>(List.of(x,
        graph.initializer(n + "/W", stack(prefixes, p -> gates.convertKernel(weights.get(p + "kernel"), cell.cell,
            GateLayout.KERAS, GateLayout.ONNX))),
        graph.initializer(n + "/R", stack(prefixes, p -> gates.convertKernel(weights.get(p + "recurrent_kernel"),
            cell.cell, GateLayout.KERAS, GateLayout.ONNX))),
        rnn.useBias() ? graph.initializer(n + "/B", stack(prefixes, p -> bias(rnn, cell, weights.get(p + "bias")))) : "",
        graph.lengths() != null ? graph.lengths() : "",
        rnn.stateInputs() ? initialState(layer, rnn, "h", graph) : ""));
    if (rnn instanceof Lstm lstm) {
      inputs.add(rnn.stateInputs() ? initialState(layer, rnn, "c", graph) : "");
      inputs.add(lstm.peephole()
          ? graph.initializer(n + "/P", stack(prefixes, p -> gates.onnxPeephole(weights.get(p + "peephole"),
              GateLayout.KERAS)))
          : "");
    }
    while (inputs.get(inputs.size() - 1).isEmpty()) {
      inputs.remove(inputs.size() - 1);
    }

    boolean lstm = rnn instanceof Lstm;
    String y = rnn.returnSequences() ? n + "/Y" : "";
    String yh = !rnn.returnSequences() || rnn.returnState() ? n + "/Y_h" : "";
    String yc = lstm && rnn.returnState() ? n + "/Y_c" : "";
    List<String> nodeOutputs = new ArrayList<>(lstm ? List.of(y, yh, yc) : List.of(y, yh));
    while (nodeOutputs.get(nodeOutputs.size() - 1).isEmpty()) {
      nodeOutputs.remove(nodeOutputs.size() - 1);
    }

    List<OnnxMl.AttributeProto> attributes = new ArrayList<>();
    attributes.add(Attributes.integer("hidden_size", rnn.units()));
    attributes.add(Attributes.string("direction", bi != null ? "bidirectional" : rnn.goBackwards() ? "reverse" : "forward"));
    attributes.addAll(ActivationOps.recurrent(n, cell.activations, dirs).attributes());
    if (rnn instanceof Gru gru) {
      attributes.add(Attributes.integer("linear_before_reset", gru.resetAfter() ? 1 : 0));
    }
    if (graph.opVersion(cell.op) >= 14) {
      attributes.add(Attributes.integer("layout", 0));
    }
    graph.node(cell.op, n + "/" + cell.op, inputs, nodeOutputs, attributes.toArray(OnnxMl.AttributeProto[]::new));

    if (bi != null) {
      bidirectionalOutputs(bi, outputs, y, yh, yc, graph);
    } else {
      singleOutputs(rnn, n, outputs, y, yh, yc, reorder, graph);
    }
  }

  /** {@code [T, B, …]} {@code sequence} into processing order: {@code ReverseSequence} on the lengths, or {@code Slice} step −1. */
  private static void reverseTime(String n, String sequence, String ordered, GraphBuilder graph) {
    if (graph.lengths() != null) {
      graph.node("ReverseSequence", n + "/ReverseSequence", List.of(sequence, graph.lengthsInt64()), List.of(ordered),
          Attributes.integer("batch_axis", 1), Attributes.integer("time_axis", 0));
    } else {
      graph.node("Slice", n + "/reverse_time", List.of(sequence,
          graph.int64Initializer(n + "/reverse_time/starts", -1),
          graph.int64Initializer(n + "/reverse_time/ends", Long.MIN_VALUE),
          graph.int64Initializer(n + "/reverse_time/axes", 0),
          graph.int64Initializer(n + "/reverse_time/steps", -1)), List.of(ordered));
    }
  }

  /**
   * One forward LSTM or GRU node for the seq2seq exports, whose canonical parameters are
   * {@code <param>/kernel}, {@code <param>/recurrent_kernel} and {@code <param>/bias}; its
   * initializers are {@code <param>/W}, {@code /R}, {@code /B}, written once per model (the first
   * call creates them, later calls in the same model reuse them).
   *
   * @param x time-major input {@code [T, B, I]}
   * @param seqLens int32 {@code [B]} sequence lengths, or "" for none
   * @param initH initial {@code [1, B, H]}, or "" for zeros; likewise {@code initC} (LSTM only)
   * @param y {@code Y}, {@code yh} {@code Y_h}, {@code yc} {@code Y_c} (LSTM only): output names, "" to leave one out
   */
  void cell(RecurrentLayer rnn, String param, String nodeName, String x, String seqLens, String initH, String initC,
      String y, String yh, String yc, Weights weights, GraphBuilder graph) {
    CellOp cell = CellOp.of(rnn);
    String prefix = param + "/";
    List<String> inputs = new ArrayList<>(List.of(x,
        graph.sharedInitializer(param + "/W", () -> gates.convertKernel(weights.get(prefix + "kernel"), cell.cell,
            GateLayout.KERAS, GateLayout.ONNX)),
        graph.sharedInitializer(param + "/R", () -> gates.convertKernel(weights.get(prefix + "recurrent_kernel"), cell.cell,
            GateLayout.KERAS, GateLayout.ONNX)),
        graph.sharedInitializer(param + "/B", () -> bias(rnn, cell, weights.get(prefix + "bias"))),
        seqLens, initH));
    boolean lstm = rnn instanceof Lstm;
    if (lstm) {
      inputs.add(initC);
    }
    while (inputs.get(inputs.size() - 1).isEmpty()) {
      inputs.remove(inputs.size() - 1);
    }
    List<String> outputs = new ArrayList<>(lstm ? List.of(y, yh, yc) : List.of(y, yh));
    while (outputs.get(outputs.size() - 1).isEmpty()) {
      outputs.remove(outputs.size() - 1);
    }
    List<OnnxMl.AttributeProto> attributes = new ArrayList<>();
    attributes.add(Attributes.integer("hidden_size", rnn.units()));
    attributes.add(Attributes.string("direction", "forward"));
    attributes.addAll(ActivationOps.recurrent(param, cell.activations, 1).attributes());
    if (rnn instanceof Gru gru) {
      attributes.add(Attributes.integer("linear_before_reset", gru.resetAfter() ? 1 : 0));
    }
    if (graph.opVersion(cell.op) >= 14) {
      attributes.add(Attributes.integer("layout", 0));
    }
    graph.node(cell.op, nodeName, inputs, outputs, attributes.toArray(OnnxMl.AttributeProto[]::new));
  }

  private static void singleOutputs(RecurrentLayer rnn, String n, List<String> outputs, String y, String yh, String yc,
      boolean reorder, GraphBuilder graph) {
    String output = outputs.get(0);
    if (rnn.returnSequences()) {
      String sequence = n + "/Y_squeezed";
      graph.squeeze(n + "/squeeze_Y", y, sequence, 1);
      if (reorder) {
        String ordered = n + "/Y_processing_order";
        reverseTime(n, sequence, ordered, graph);
        sequence = ordered;
      }
      graph.transpose(n + "/to_batch_major", sequence, output, 1, 0, 2);
    } else {
      graph.squeeze(n + "/squeeze_Y_h", yh, output, 0);
    }
    if (rnn.returnState()) {
      if (rnn.returnSequences()) {
        graph.squeeze(n + "/squeeze_state_h", yh, outputs.get(1), 0);
      } else {
        graph.node("Identity", n + "/state_h", List.of(output), List.of(outputs.get(1)));
      }
      if (rnn instanceof Lstm) {
        graph.squeeze(n + "/squeeze_state_c", yc, outputs.get(2), 0);
      }
    }
  }

  private static void bidirectionalOutputs(Bidirectional bi, List<String> outputs, String y, String yh, String yc,
      GraphBuilder graph) {
    String n = bi.name();
    RecurrentLayer rnn = bi.layer();
    List<String> states = rnn.states();
    String[] finalH = new String[2];
    int swap = bi.reversed() ? 1 : 0; // the ONNX direction of Keras's first half
    for (int d = 0; d < 2; d++) {
      String dir = Bidirectional.DIRECTIONS.get(d);
      if (rnn.returnState()) {
        finalH[d] = outputs.get(1 + d * states.size());
        graph.pick(n + "/" + dir + "_h", yh, finalH[d], 0, d);
        if (rnn instanceof Lstm) {
          graph.pick(n + "/" + dir + "_c", yc, outputs.get(2 + d * states.size()), 0, d);
        }
      } else if (!rnn.returnSequences()) {
        finalH[d] = n + "/Y_h_" + dir;
        graph.pick(n + "/" + dir + "_h", yh, finalH[d], 0, d ^ swap);
      }
    }
    String output = outputs.get(0);
    if (rnn.returnSequences()) {
      String f = n + "/Y_forward";
      String b = n + "/Y_backward";
      graph.pick(n + "/forward_Y", y, f, 1, swap);
      graph.pick(n + "/backward_Y", y, b, 1, 1 - swap);
      String merged = n + "/Y_merged";
      merge(bi, f, b, merged, 2, graph);
      if (bi.reversed()) { // Keras: merge(y, reverse(y_rev)), y in processing order: the merge of input time, reversed
        String ordered = n + "/Y_processing_order";
        reverseTime(n, merged, ordered, graph);
        merged = ordered;
      }
      graph.transpose(n + "/to_batch_major", merged, output, 1, 0, 2);
    } else {
      merge(bi, finalH[0], finalH[1], output, 1, graph);
    }
  }

  /** Joins the two halves by the layer's merge mode; {@code lastAxis} is their last axis. */
  private static void merge(Bidirectional bi, String forward, String backward, String output, int lastAxis,
      GraphBuilder graph) {
    String n = bi.name() + "/merge_" + bi.mergeMode().recipeName();
    List<String> both = List.of(forward, backward);
    switch (bi.mergeMode()) {
      case CONCAT -> graph.node("Concat", n, both, List.of(output), Attributes.integer("axis", lastAxis));
      case SUM -> graph.node("Add", n, both, List.of(output));
      case MUL -> graph.node("Mul", n, both, List.of(output));
      case AVE -> {
        String sum = n + "/sum";
        graph.node("Add", n + "/Add", both, List.of(sum));
        graph.node("Mul", n + "/half", List.of(sum, graph.floatScalar(n + "/one_half", 0.5f)), List.of(output));
      }
      default -> throw new IllegalStateException("merge mode " + bi.mergeMode());
    }
  }

  /** {@code initial_h} or {@code initial_c} [dirs, B, H] from the model's state inputs [B, H]. */
  private static String initialState(Layer layer, RecurrentLayer rnn, String state, GraphBuilder graph) {
    String n = layer.name();
    List<String> perDirection = layer instanceof Bidirectional
        ? Bidirectional.DIRECTIONS.stream().map(d -> d + "_" + state).toList()
        : List.of(state);
    List<String> expanded = new ArrayList<>();
    for (String s : perDirection) {
      String out = n + "/initial_" + s;
      graph.unsqueeze(n + "/unsqueeze_" + s + "0", Sequential.stateInputName(layer, s), out, 0);
      expanded.add(out);
    }
    if (expanded.size() == 1) {
      return expanded.get(0);
    }
    String joined = n + "/initial_" + state;
    graph.node("Concat", n + "/concat_" + state + "0", expanded, List.of(joined), Attributes.integer("axis", 0));
    return joined;
  }

  /** ONNX's {@code B [1, 2·G·H]} for one direction from the Keras bias. */
  private FloatTensor bias(RecurrentLayer rnn, CellOp cell, FloatTensor keras) {
    if (rnn instanceof Gru gru && gru.resetAfter()) {
      int n = (int) keras.dim(1);
      float[] d = keras.data();
      FloatTensor input = FloatTensor.of(java.util.Arrays.copyOfRange(d, 0, n), n);
      FloatTensor recurrent = FloatTensor.of(java.util.Arrays.copyOfRange(d, n, 2 * n), n);
      return gates.onnxBias(input, recurrent, cell.cell, GateLayout.KERAS);
    }
    return gates.onnxBias(keras, null, cell.cell, GateLayout.KERAS);
  }

  /** One tensor per direction, each {@code [1, …]}, stacked along the leading {@code dirs} axis. */
  private static FloatTensor stack(List<String> prefixes, Function<String, FloatTensor> perDirection) {
    List<FloatTensor> parts = prefixes.stream().map(perDirection).toList();
    if (parts.size() == 1) {
      return parts.get(0);
    }
    long[] shape = parts.get(0).shape();
    int size = parts.get(0).size();
    float[] data = new float[size * parts.size()];
    for (int d = 0; d < parts.size(); d++) {
      System.arraycopy(parts.get(d).data(), 0, data, d * size, size);
    }
    shape[0] = parts.size();
    return new FloatTensor(shape, data);
  }
}
