package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.GateLayout;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.tensorio.TypedTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX {@code LSTM}, {@code GRU} or {@code RNN} node lifted into a recurrent layer (or a
 * {@link Bidirectional} one) with canonical weights: the inverse of {@code onnx.RecurrentConverter}.
 *
 * <p>{@code W [dirs, G·H, I]} and {@code R [dirs, G·H, H]} go back through {@link GateLayout}
 * (ONNX's gate order to Keras's, axes {@code [gates, in]} to {@code [in, gates]}).
 * {@code B [dirs, 2·G·H]} holds an input and a recurrent bias: a GRU with
 * {@code linear_before_reset=1} keeps both ({@code reset_after}, bias {@code [2, 3H]}); every other
 * cell adds them into Keras's one bias (the cell only ever uses their sum; a recurrent bias of
 * zeros, as rnnx writes, leaves the input bias bit for bit). {@code P [dirs, 3H]} becomes the
 * peephole vector. Whether the layer returns sequences is decided later, by which output the
 * model reads ({@link #build}).
 */
final class RecurrentLift implements LayerDraft {

  /** The activation functions a recurrent node may name, with rnnx's equivalents. */
  static final List<String> ACTIVATIONS = List.of("Sigmoid", "Tanh", "Relu", "HardSigmoid (alpha 0.2, beta 0.5)",
      "Softsign", "Softplus", "Elu (alpha 1)");

  private static final GateLayout GATES = GateLayout.load();

  final String op;
  final String cell;
  final int units;
  final int dirs;
  final boolean reverse;
  final boolean resetAfter;
  final boolean useBias;
  final boolean peephole;
  final Activation recurrentActivation;
  final Activation activation;
  final int inputFeatures;
  private final List<Map<String, FloatTensor>> perDirection;
  private MergeMode merge;
  private List<String> stateInputs = List.of();
  private Boolean returnSequences;
  /** A bidirectional layer around go_backwards: ONNX's direction 0 holds Keras's backward half. */
  private boolean swapped;
  /** Whether the node reads the model's lengths as its sequence_lens. */
  boolean readsLengths;
  /** Whether the model returns the layer's final states as further graph outputs (Keras's return_state). */
  boolean returnState;

  /** Whether ONNX's direction 0 holds Keras's backward half (a bidirectional layer around go_backwards). */
  boolean swapped() {
    return swapped;
  }

  private RecurrentLift(String op, String cell, int units, int dirs, boolean reverse, boolean resetAfter,
      boolean useBias, boolean peephole, Activation recurrentActivation, Activation activation, int inputFeatures,
      List<Map<String, FloatTensor>> perDirection) {
    this.op = op;
    this.cell = cell;
    this.units = units;
    this.dirs = dirs;
    this.reverse = reverse;
    this.resetAfter = resetAfter;
    this.useBias = useBias;
    this.peephole = peephole;
    this.recurrentActivation = recurrentActivation;
    this.activation = activation;
    this.inputFeatures = inputFeatures;
    this.perDirection = perDirection;
  }

  /**
   * Reads a recurrent node.
   *
   * @param features the input's feature count, or 0 when not yet known (taken from {@code W})
   */
  static RecurrentLift read(OnnxGraph g, OnnxMl.NodeProto node, int features) {
    String op = node.getOpType();
    String cell = switch (op) {
      case "LSTM" -> "lstm";
      case "GRU" -> "gru";
      default -> "rnn";
    };
    int gates = switch (op) {
      case "LSTM" -> 4;
      case "GRU" -> 3;
      default -> 1;
    };
    for (String unsupported : List.of("clip", "input_forget")) {
      if (OnnxGraph.has(node, unsupported) && !(unsupported.equals("input_forget") && OnnxGraph.intAttr(node, unsupported, 0) == 0)) {
        throw g.error(node, "attribute '" + unsupported + "' is not supported; supported: hidden_size, direction,"
            + " activations (" + String.join(", ", ACTIVATIONS) + "), linear_before_reset (GRU), layout 0");
      }
    }
    if (OnnxGraph.intAttr(node, "layout", 0) != 0) {
      throw g.error(node, "layout=1 (batch-major) is not supported, expected layout 0 (PyTorch and rnnx write it)");
    }
    String direction = OnnxGraph.stringAttr(node, "direction", "forward");
    int dirs = switch (direction) {
      case "forward", "reverse" -> 1;
      case "bidirectional" -> 2;
      default -> throw g.error(node, "direction '" + direction + "' is not one of forward, reverse, bidirectional");
    };
    TypedTensor w = constInput(g, node, 1, "W");
    TypedTensor r = constInput(g, node, 2, "R");
    int units = (int) OnnxGraph.intAttr(node, "hidden_size", r.shape().length == 3 ? r.shape()[2] : 0);
    long[] ws = w.shape();
    int in = ws.length == 3 ? (int) ws[2] : -1;
    expectShape(g, node, "W", ws, dirs, (long) gates * units, features > 0 ? features : in);
    expectShape(g, node, "R", r.shape(), dirs, (long) gates * units, units);
    String bName = OnnxGraph.input(node, 3);
    TypedTensor b = bName.isEmpty() ? null : constInput(g, node, 3, "B");
    if (b != null) {
      expectShape(g, node, "B", b.shape(), dirs, 2L * gates * units);
    }
    TypedTensor p = null;
    if (op.equals("LSTM") && !OnnxGraph.input(node, 7).isEmpty()) {
      p = constInput(g, node, 7, "P");
      expectShape(g, node, "P", p.shape(), dirs, 3L * units);
    }
    boolean resetAfter = op.equals("GRU") && OnnxGraph.intAttr(node, "linear_before_reset", 0) != 0;
    List<Activation> acts = activations(g, node, op, dirs);
    Activation recurrent = op.equals("RNN") ? null : acts.get(0);
    Activation activation = op.equals("RNN") ? acts.get(0) : acts.get(1);
    List<Map<String, FloatTensor>> perDirection = new java.util.ArrayList<>();
    for (int d = 0; d < dirs; d++) {
      Map<String, FloatTensor> m = new LinkedHashMap<>();
      m.put("kernel", GATES.convertKernel(slice(w, d), cell, GateLayout.ONNX, GateLayout.KERAS));
      m.put("recurrent_kernel", GATES.convertKernel(slice(r, d), cell, GateLayout.ONNX, GateLayout.KERAS));
      if (b != null) {
        FloatTensor both = slice(b, d);
        int n = gates * units;
        float[] input = GATES.reorderGates(Arrays.copyOfRange(both.data(), 0, n), cell, GateLayout.ONNX, GateLayout.KERAS);
        float[] rec = GATES.reorderGates(Arrays.copyOfRange(both.data(), n, 2 * n), cell, GateLayout.ONNX, GateLayout.KERAS);
        if (resetAfter) {
          float[] two = new float[2 * n];
          System.arraycopy(input, 0, two, 0, n);
          System.arraycopy(rec, 0, two, n, n);
          m.put("bias", FloatTensor.of(two, 2, n));
        } else {
          m.put("bias", FloatTensor.of(sum(input, rec), n));
        }
      }
      if (p != null) {
        m.put("peephole", FloatTensor.of(GATES.reorderGates(slice(p, d).data(), GateLayout.PEEPHOLE, GateLayout.ONNX,
            GateLayout.KERAS), 3L * units));
      }
      perDirection.add(m);
    }
    return new RecurrentLift(op, cell, units, dirs, direction.equals("reverse"), resetAfter, b != null, p != null,
        recurrent, activation, (int) ws[2], perDirection);
  }

  /** How a bidirectional layer's halves are joined; set once when the model reads its output. */
  void merge(MergeMode mode, OnnxGraph g, OnnxMl.NodeProto node) {
    if (merge != null && merge != mode) {
      throw g.error(node, "the two directions are joined twice, by " + merge.recipeName() + " and " + mode.recipeName());
    }
    merge = mode;
  }

  /** The graph inputs this layer's initial states come from, h then c, each direction in turn (ONNX's order). */
  void stateInputs(List<String> inputs) {
    stateInputs = List.copyOf(inputs);
  }

  /** The graph inputs of the initial states; empty when they start at zero. */
  List<String> stateInputs() {
    return stateInputs;
  }

  /**
   * Marks a bidirectional layer around a {@code go_backwards} layer: the model joins ONNX's direction 1
   * (Keras's forward half, reading backwards) before direction 0, as rnnx's exporter writes it.
   */
  void swapDirections(OnnxGraph g, OnnxMl.NodeProto node) {
    if (dirs != 2) {
      throw g.error(node, "joins the directions of a one-directional recurrent layer");
    }
    swapped = true;
  }

  /** Turns a sum of the two directions into their average (the sum then multiplied by 0.5). */
  void mergeAverage() {
    merge = MergeMode.AVE;
  }

  /** Whether the layer's sequence output or final state feeds the model; set once. */
  void returnSequences(boolean sequences, OnnxGraph g, OnnxMl.NodeProto node) {
    if (returnSequences != null && returnSequences != sequences) {
      throw g.error(node, "the model reads both the output sequence and the final state of this recurrent layer;"
          + " only one of them may feed the next layer");
    }
    returnSequences = sequences;
  }

  /** The layer as rnnx's spec, once the model has read one of its outputs. */
  @Override
  public Layer build(String name) {
    boolean seq = Boolean.TRUE.equals(returnSequences);
    RecurrentLayer inner = switch (op) {
      case "LSTM" -> Lstm.builder(name, units).returnSequences(seq).returnState(returnState).goBackwards(reverse || swapped).useBias(useBias).stateInputs(!stateInputs.isEmpty())
          .activation(activation).recurrentActivation(recurrentActivation).peephole(peephole).build();
      case "GRU" -> Gru.builder(name, units).returnSequences(seq).returnState(returnState).goBackwards(reverse || swapped).useBias(useBias).stateInputs(!stateInputs.isEmpty())
          .activation(activation).recurrentActivation(recurrentActivation).resetAfter(resetAfter).build();
      default -> SimpleRnn.builder(name, units).returnSequences(seq).returnState(returnState).goBackwards(reverse || swapped).useBias(useBias).stateInputs(!stateInputs.isEmpty())
          .activation(activation).build();
    };
    return dirs == 1 ? inner : new Bidirectional(name, inner, merge == null ? MergeMode.CONCAT : merge);
  }

  /** The canonical weights under the layer's name. */
  @Override
  public Map<String, FloatTensor> weights(String name) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (int k = 0; k < dirs; k++) { // Keras's order: forward, then backward (ONNX's direction 1 first when swapped)
      String prefix = dirs == 1 ? name + "/" : name + "/" + Bidirectional.DIRECTIONS.get(k) + "/";
      perDirection.get(swapped ? 1 - k : k).forEach((key, v) -> out.put(prefix + key, v));
    }
    return out;
  }

  /** The output width of the layer's merged sequence or state. */
  int outputUnits() {
    return dirs == 2 && (merge == null || merge == MergeMode.CONCAT) ? 2 * units : units;
  }

  private static float[] sum(float[] input, float[] recurrent) {
    boolean zero = true;
    for (float v : recurrent) {
      zero &= v == 0f;
    }
    if (zero) {
      return input;
    }
    float[] s = new float[input.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = input[i] + recurrent[i];
    }
    return s;
  }

  /** The activations of direction 0 as rnnx's, checked to be the same in both directions. */
  private static List<Activation> activations(OnnxGraph g, OnnxMl.NodeProto node, String op, int dirs) {
    List<String> names = OnnxGraph.stringsAttr(node, "activations");
    List<String> defaults = switch (op) {
      case "LSTM" -> List.of("Sigmoid", "Tanh", "Tanh");
      case "GRU" -> List.of("Sigmoid", "Tanh");
      default -> List.of("Tanh");
    };
    if (names == null || names.isEmpty()) {
      names = new java.util.ArrayList<>();
      for (int d = 0; d < dirs; d++) {
        names.addAll(defaults);
      }
    }
    int per = defaults.size();
    if (names.size() != per * dirs) {
      throw g.error(node, "activations has " + names.size() + " entries, expected " + per * dirs);
    }
    List<Float> alphas = OnnxGraph.floatsAttr(node, "activation_alpha");
    List<Float> betas = OnnxGraph.floatsAttr(node, "activation_beta");
    int ai = 0;
    int bi = 0;
    Activation[] all = new Activation[names.size()];
    for (int k = 0; k < names.size(); k++) {
      String n = canonical(names.get(k));
      float alpha = Float.NaN;
      float beta = Float.NaN;
      if (n.equals("HardSigmoid") || n.equals("Elu") || n.equals("LeakyRelu") || n.equals("ThresholdedRelu")
          || n.equals("Affine") || n.equals("ScaledTanh")) {
        alpha = alphas != null && ai < alphas.size() ? alphas.get(ai++) : Float.NaN;
      }
      if (n.equals("HardSigmoid") || n.equals("Affine") || n.equals("ScaledTanh")) {
        beta = betas != null && bi < betas.size() ? betas.get(bi++) : Float.NaN;
      }
      all[k] = switch (n) {
        case "Sigmoid" -> Activation.SIGMOID;
        case "Tanh" -> Activation.TANH;
        case "Relu" -> Activation.RELU;
        case "Softsign" -> Activation.SOFTSIGN;
        case "Softplus" -> Activation.SOFTPLUS;
        case "HardSigmoid" -> (Float.isNaN(alpha) || alpha == 0.2f) && (Float.isNaN(beta) || beta == 0.5f)
            ? Activation.HARD_SIGMOID : null;
        case "Elu" -> Float.isNaN(alpha) || alpha == 1f ? Activation.ELU : null;
        default -> null;
      };
      if (all[k] == null) {
        throw g.error(node, "activation '" + n + "'" + (Float.isNaN(alpha) ? "" : " (alpha " + alpha
            + (Float.isNaN(beta) ? "" : ", beta " + beta) + ")") + " is not supported; supported: " + String.join(", ", ACTIVATIONS));
      }
    }
    if (op.equals("LSTM") && all[1] != all[2]) {
      throw g.error(node, "the cell activation " + names.get(1) + " differs from the output activation " + names.get(2)
          + "; Keras's LSTM (rnnx's) uses one activation for both");
    }
    if (dirs == 2 && !Arrays.asList(all).subList(0, per).equals(Arrays.asList(all).subList(per, 2 * per))) {
      throw g.error(node, "the two directions use different activations " + names + "; a bidirectional layer uses the same in both");
    }
    return Arrays.asList(all).subList(0, per);
  }

  /** ONNX's spelling of an activation name; ONNX Runtime reads them case-insensitively, and old tf2onnx writes "sigmoid". */
  private static String canonical(String name) {
    for (String known : List.of("Sigmoid", "Tanh", "Relu", "HardSigmoid", "Elu", "LeakyRelu", "ThresholdedRelu", "Affine",
        "ScaledTanh", "Softsign", "Softplus")) {
      if (known.equalsIgnoreCase(name)) {
        return known;
      }
    }
    return name;
  }

  private static TypedTensor constInput(OnnxGraph g, OnnxMl.NodeProto node, int i, String role) {
    String name = OnnxGraph.input(node, i);
    TypedTensor t = name.isEmpty() ? null : g.initializer(name);
    if (t == null) {
      throw g.error(node, "input " + role + (name.isEmpty() ? " is missing" : " ('" + name + "') is not an initializer")
          + "; expected the weights as initializers (export with constant folding)");
    }
    if (!t.type().isFloating()) {
      throw g.error(node, "input " + role + " ('" + name + "') is " + t.type() + ", expected floating-point weights");
    }
    return t;
  }

  private static void expectShape(OnnxGraph g, OnnxMl.NodeProto node, String role, long[] shape, long... want) {
    if (!Arrays.equals(shape, want)) {
      throw g.error(node, "weights " + role + " have shape " + Arrays.toString(shape) + ", expected "
          + Arrays.toString(want) + " from the node's hidden_size, direction and input width");
    }
  }

  /** Direction {@code d} of a {@code [dirs, …]} tensor as a float tensor {@code [1, …]}. */
  private static FloatTensor slice(TypedTensor t, int d) {
    FloatTensor f = t.toFloat();
    long[] shape = f.shape().clone();
    int n = f.size() / (int) shape[0];
    shape[0] = 1;
    return new FloatTensor(shape, Arrays.copyOfRange(f.data(), d * n, (d + 1) * n));
  }
}
