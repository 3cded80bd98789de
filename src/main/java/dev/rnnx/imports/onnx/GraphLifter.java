package dev.rnnx.imports.onnx;

import static dev.rnnx.imports.onnx.LiftedValue.describe;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.onnx.LiftedValue.Const;
import dev.rnnx.imports.onnx.LiftedValue.DirectionSequence;
import dev.rnnx.imports.onnx.LiftedValue.FinalState;
import dev.rnnx.imports.onnx.LiftedValue.FinalStates;
import dev.rnnx.imports.onnx.LiftedValue.Lengths;
import dev.rnnx.imports.onnx.LiftedValue.Main;
import dev.rnnx.imports.onnx.LiftedValue.SequenceOut;
import dev.rnnx.imports.onnx.LiftedValue.ShapeOf;
import dev.rnnx.imports.onnx.LiftedValue.Zeros;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.MergeMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks an ONNX graph's live nodes in order and lifts them into a stack of layers: each node is
 * recognised by the kinds of the values it reads ({@link LiftedValue}), so PyTorch's, tf2onnx's and
 * rnnx's spellings of the same layer (time-major transposes, squeezes, a bidirectional output
 * reshaped or gathered and concatenated) lift alike. Shape plumbing (PyTorch's zero initial states
 * built from {@code Shape}) is followed and dropped. The result is read by {@link SequentialAssembly}.
 */
final class GraphLifter {

  /** The ops the importer reads, for refusals. */
  static final String SUPPORTED = "LSTM, GRU, RNN (one- or bidirectional, sequence_lens, zero initial states),"
      + " Gather (embedding), MatMul + Add and Gemm (dense), Relu, Tanh, Sigmoid, Softsign, Softplus, Elu,"
      + " HardSigmoid, Softmax (after a dense layer), LayerNormalization (or its decomposed form), PyTorch's TransformerEncoderLayer"
      + " (post-norm or norm_first, relu or exact gelu, no mask), PyTorch's MultiheadAttention (self-attention, no mask), rnnx's own"
      + " attention, multi_head_attention, transformer_encoder (causal or not, no lengths), positional_encoding, global pooling and"
      + " flatten exports, initial states from graph inputs, Transpose, Squeeze, Reshape, Concat, ReverseSequence and Slice (go_backwards"
      + " sequences; tf2onnx's per-direction and last-step slices), Identity, Dropout, and the Shape/ConstantOfShape plumbing"
      + " of zero initial states";

  private static final Set<String> PLUMBING = Set.of("Unsqueeze", "Concat", "Slice", "Squeeze", "Reshape", "Expand",
      "Gather", "Cast", "Add", "Sub", "Mul", "Div", "Range", "Identity");

  private final OnnxGraph g;
  final Map<String, LiftedValue> values = new HashMap<>();
  private final RecurrentOutputs outputs;
  final List<LayerDraft> drafts = new ArrayList<>();
  final List<String> suggestedNames = new ArrayList<>();
  /** Whether the graph input is time-major; null until a recurrent node decides. */
  Boolean inputTimeMajor;
  /** Whether some recurrent node reads the lengths input. */
  boolean lengthsUsed;
  private String denseOutput;
  private String sumOutput;

  GraphLifter(OnnxGraph g) {
    this.g = g;
    this.outputs = new RecurrentOutputs(this, g);
  }

  /** The graph inputs read as initial states, in the order the recurrent nodes read them. */
  final List<String> stateInputs = new ArrayList<>();
  private final Map<String, Integer> stateRanks = new HashMap<>();

  /**
   * Seeds the walk with the graph inputs: the main input, an int32 lengths input or none, and float
   * inputs of rank 2 ({@code [B, H]}, rnnx's) or 3 ({@code [1, B, H]}, PyTorch's) that may be initial states.
   */
  void start(String main, int rank, int features, boolean tokens, String lengths, Map<String, Integer> states) {
    values.put(main, new Main(0, rank, features, tokens, 0));
    if (lengths != null) {
      values.put(lengths, new Lengths());
    }
    states.forEach((name, r) -> {
      stateRanks.put(name, r);
      values.put(name, new LiftedValue.States(List.of(name)));
    });
  }

  /** The value a graph output holds after the walk. */
  LiftedValue valueOf(String name) {
    return values.get(name);
  }

  /** Whether an attention or Transformer encoder block was lifted (the importer then checks the model numerically). */
  boolean hasAttention;

  /** Lifts every live node; the nodes of an attention or encoder block become one layer at its last node. */
  void walk() {
    List<OnnxMl.NodeProto> live = g.liveNodes();
    Set<OnnxMl.NodeProto> skip = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Map<OnnxMl.NodeProto, TransformerLift.Block> lastOf = TransformerLift.blocks(g, live, skip);
    for (OnnxMl.NodeProto node : live) {
      TransformerLift.Block block = lastOf.get(node);
      if (block != null) {
        Main x = latest(node, read(node, block.input()));
        if (x.rank() != 3 || x.tokens() || (x.features() > 0 && block.width() > 0 && x.features() != block.width())) {
          throw g.error(node, "a " + block.kind() + " block of width " + block.width() + " reads "
              + describe(values.get(block.input())));
        }
        if (block.lift() instanceof BlockLayout a) {
          layout(node, x, a.timeMajor()); // PyTorch's attention runs on [T, B, d] between its own transposes, rnnx's on [B, T, d]
        }
        drafts.add(block.lift());
        suggestedNames.add(SequentialAssembly.blockName(block));
        values.put(node.getOutput(0), new Main(x.flips(), 3, block.width() > 0 ? block.width() : x.features(), false, drafts.size()));
        hasAttention = true;
        continue;
      }
      if (skip.contains(node)) {
        continue;
      }
      String domain = node.getDomain();
      if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
        throw g.error(node, "op " + node.getOpType() + " of domain '" + domain + "' is not supported; supported"
            + " (default domain): " + SUPPORTED);
      }
      lift(node);
    }
  }

  private void lift(OnnxMl.NodeProto node) {
    String op = node.getOpType();
    String out = node.getOutputCount() > 0 ? node.getOutput(0) : "";
    if (op.equals("Constant")) {
      values.put(out, new Const(g.constant(node)));
      return;
    }
    if (op.equals("Shape")) {
      values.put(out, new ShapeOf());
      return;
    }
    if (op.equals("ConstantOfShape")) {
      var v = OnnxGraph.has(node, "value") ? g.constant(node) : null;
      if (v != null && (v.doubles() != null ? java.util.Arrays.stream(v.doubles()).anyMatch(d -> d != 0)
          : java.util.Arrays.stream(v.longs()).anyMatch(d -> d != 0))) {
        throw g.error(node, "only zero-filled ConstantOfShape (zero initial states) is supported");
      }
      values.put(out, new Zeros());
      return;
    }
    List<LiftedValue> in = new ArrayList<>();
    for (String name : node.getInputList()) {
      in.add(name.isEmpty() ? null : read(node, name));
    }
    if (PLUMBING.contains(op) && in.stream().allMatch(v -> v == null || v instanceof ShapeOf || v instanceof Const)
        && in.stream().anyMatch(v -> v instanceof ShapeOf)) {
      values.put(out, new ShapeOf());
      return;
    }
    if ((Set.of("Slice", "Expand", "Reshape", "Unsqueeze", "Squeeze", "Identity", "Cast").contains(op) && in.get(0) instanceof Zeros)
        || (op.equals("Concat") && in.stream().allMatch(v -> v instanceof Zeros))) { // tf2onnx joins two directions' zero states
      values.put(out, new Zeros());
      return;
    }
    if (op.equals("Unsqueeze") && stateRanks.getOrDefault(node.getInput(0), 0) == 2) {
      List<Long> axes = OnnxGraph.intsAttr(node, "axes");
      if (axes == null && in.size() > 1 && in.get(1) instanceof Const c && c.value().longs() != null) {
        axes = java.util.Arrays.stream(c.value().longs()).boxed().toList();
      }
      if (!List.of(0L).equals(axes)) {
        throw g.error(node, "unsqueezes state input '" + node.getInput(0) + "' on axes " + axes + ", expected [0]");
      }
      values.put(out, new LiftedValue.States(List.of(node.getInput(0))));
      return;
    }
    if (op.equals("Concat") && in.stream().allMatch(v -> v instanceof LiftedValue.States)
        && OnnxGraph.intAttr(node, "axis", 0) == 0) {
      List<String> all = new ArrayList<>();
      in.forEach(v -> all.addAll(((LiftedValue.States) v).inputs()));
      values.put(out, new LiftedValue.States(all));
      return;
    }
    switch (op) {
      case "Identity", "Dropout", "Cast" -> passThrough(node, in.get(0), out);
      case "LSTM", "GRU", "RNN" -> recurrent(node, in);
      case "Transpose" -> outputs.transpose(node, in.get(0), out);
      case "Squeeze" -> outputs.squeeze(node, in, out);
      case "Reshape" -> values.put(out, in.get(0) instanceof Main m
          ? Transforms.flatten(g, node, latest(node, m), in.get(1), suggestedNames, drafts) : outputs.reshape(node, in));
      case "ReduceMean", "ReduceMax" -> {
        Main x = latest(node, in.get(0));
        layout(node, x, Transforms.poolsTimeMajor(g, node, x, in)); // reducing axis 0 reads [T, B, F], axis 1 [B, T, F]
        values.put(out, Transforms.pooling(node, x, suggestedNames, drafts));
      }
      case "Gather" -> gather(node, in, out);
      case "Concat" -> outputs.concat(node, in, out);
      case "ReverseSequence" -> outputs.reverseTime(node, in, out);
      case "Slice" -> outputs.slice(node, in, out);
      case "Add", "Mul" -> addOrMul(node, in, out);
      case "MatMul" -> matMul(node, in, out);
      case "Gemm" -> gemm(node, in, out);
      case "LayerNormalization" -> values.put(out, Transforms.layerNorm(g, node, latest(node, in.get(0)), in, drafts,
          suggestedNames));
      case "Relu", "Tanh", "Sigmoid", "Softsign", "Softplus", "Elu", "HardSigmoid", "Softmax" -> activation(node, in.get(0), out);
      default -> throw g.error(node, "op " + op + " is not supported here; supported: " + SUPPORTED);
    }
  }

  private LiftedValue read(OnnxMl.NodeProto node, String name) {
    LiftedValue v = values.get(name);
    if (v == null) {
      var init = g.initializer(name);
      if (init != null) {
        return new Const(init);
      }
      throw g.error(node, "reads '" + name + "', which is neither a graph input, an initializer nor the output of a"
          + " supported node");
    }
    return v;
  }

  /** The model's latest activation, or a refusal when {@code v} is not it. */
  private Main latest(OnnxMl.NodeProto node, LiftedValue v) {
    if (!(v instanceof Main m)) {
      throw g.error(node, "expected the model's activation as its first input, got " + describe(v)
          + "; supported: " + SUPPORTED);
    }
    if (m.layers() != drafts.size()) {
      throw g.error(node, "reads the output of an earlier layer; only a chain of layers (each reading the previous"
          + " one's output) can be imported");
    }
    return m;
  }

  private void passThrough(OnnxMl.NodeProto node, LiftedValue v, String out) {
    if (v instanceof Main || v instanceof Lengths || v instanceof Const) {
      values.put(out, v);
      return;
    }
    throw g.error(node, "expected the model's activation, got " + describe(v));
  }

  private void recurrent(OnnxMl.NodeProto node, List<LiftedValue> in) {
    Main x = latest(node, in.get(0));
    if (x.rank() != 3 || x.tokens()) {
      throw g.error(node, "expects a sequence [T, B, F], got a value of rank " + x.rank());
    }
    layout(node, x, true); // ONNX's recurrent ops read [T, B, F]
    LiftedValue lens = in.size() > 4 ? in.get(4) : null;
    if (lens != null && !(lens instanceof Lengths)) {
      throw g.error(node, "sequence_lens is " + describe(lens) + ", expected the graph's int32 lengths input");
    }
    lengthsUsed |= lens != null;
    RecurrentLift lift = RecurrentLift.read(g, node, x.features());
    lift.readsLengths = lens != null;
    int stateCount = node.getOpType().equals("LSTM") ? 2 : 1;
    List<String> states = new ArrayList<>();
    for (int i = 5; i < 5 + stateCount; i++) {
      LiftedValue v = i < in.size() ? in.get(i) : null;
      if (v instanceof LiftedValue.States s && s.inputs().size() == lift.dirs
          && (stateRanks.get(s.inputs().get(0)) == 3) == (node.getInput(i).equals(s.inputs().get(0)))) {
        states.addAll(s.inputs());
      } else if (v != null && !(v instanceof Zeros)) {
        throw g.error(node, "initial state " + (i == 5 ? "initial_h" : "initial_c") + " is " + describe(v)
            + "; supported: none, zeros, or graph inputs (one [1, B, H] or unsqueezed [B, H] per direction)");
      }
    }
    if (!states.isEmpty() && states.size() != stateCount * lift.dirs) {
      throw g.error(node, "takes some initial states from graph inputs and others as zeros; supported: all or none");
    }
    if (!states.isEmpty()) {
      lift.stateInputs(states);
      stateInputs.addAll(states);
    }
    int layer = drafts.size();
    drafts.add(lift);
    suggestedNames.add(SequentialAssembly.suggest(node, node.getOpType().toLowerCase(java.util.Locale.ROOT)));
    if (node.getOutputCount() > 2 && !node.getOutput(2).isEmpty()) {
      values.put(node.getOutput(2), new LiftedValue.CellStates(layer, lift.dirs));
    }
    if (node.getOutputCount() > 0 && !node.getOutput(0).isEmpty()) {
      values.put(node.getOutput(0), new SequenceOut(layer, lift.dirs, lift.units, false));
    }
    if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
      List<int[]> entries = new ArrayList<>();
      for (int d = 0; d < lift.dirs; d++) {
        entries.add(new int[] {layer, d});
      }
      values.put(node.getOutput(1), new FinalStates(entries, lift.units));
    }
  }

  /** Records that {@code x} is time-major ({@code timeMajor}) or batch-major at {@code node}, or refuses the other layout. */
  private void layout(OnnxMl.NodeProto node, Main x, boolean timeMajor) {
    boolean timeMajorInput = (x.flips() % 2 == 0) == timeMajor;
    if (inputTimeMajor == null) {
      inputTimeMajor = timeMajorInput;
    } else if (inputTimeMajor != timeMajorInput) {
      throw g.error(node, timeMajor ? "reads a batch-major sequence; ONNX's recurrent ops (layout 0) and PyTorch's"
          + " attention read time-major [T, B, F]" : "reads a time-major sequence; rnnx's attention reads batch-major [B, T, d]");
    }
  }

  private void gather(OnnxMl.NodeProto node, List<LiftedValue> in, String out) {
    long axis = OnnxGraph.intAttr(node, "axis", 0);
    LiftedValue data = in.get(0);
    LiftedValue idx = in.get(1);
    if (data instanceof Const table && idx instanceof Main ids && ids.tokens() && axis == 0) {
      values.put(out, Transforms.embedding(g, node, latest(node, ids), table, drafts, suggestedNames));
      return;
    }
    if (idx instanceof Const c && c.value().longs() != null && c.value().shape().length == 0) {
      long k = c.value().longs()[0];
      if (axis == 0 && (data instanceof LiftedValue.CellStates || data instanceof FinalStates) && outputs.stateOutput(out)) {
        values.put(out, outputs.stateOut(node, data, (int) k));
        return;
      }
      if (data instanceof SequenceOut s && !s.transposed() && axis == 1 && s.dirs() == 2) {
        values.put(out, new DirectionSequence(s.layer(), (int) Math.floorMod(k, 2), s.units(), false));
        return;
      }
      if (data instanceof FinalStates f && axis == 0) {
        int[] e = f.entries().get((int) Math.floorMod(k, f.entries().size()));
        RecurrentLift lift = outputs.recurrentAt(node, e[0]);
        values.put(out, lift.dirs == 1 ? outputs.single(node, e) : new FinalState(e[0], e[1], f.units()));
        return;
      }
    }
    throw g.error(node, "Gather of " + describe(data) + " by " + describe(idx) + " is not supported; supported: an"
        + " embedding (a constant table by the token ids), one direction or one layer of a recurrent output");
  }

  private void addOrMul(OnnxMl.NodeProto node, List<LiftedValue> in, String out) {
    boolean add = node.getOpType().equals("Add");
    LiftedValue a = outputs.asFinalState(node, in.get(0));
    LiftedValue b = outputs.asFinalState(node, in.get(1));
    MergeMode mode = add ? MergeMode.SUM : MergeMode.MUL;
    if (a instanceof DirectionSequence f && b instanceof DirectionSequence r && f.layer() == r.layer() && f.direction() != r.direction()) {
      values.put(out, outputs.merged(node, f, r, mode, out));
      sumOutput = add ? out : null;
    } else if (a instanceof FinalState f && b instanceof FinalState r && f.layer() == r.layer() && f.direction() != r.direction()) {
      values.put(out, outputs.finalState(node, f, mode));
      sumOutput = add ? out : null;
    } else if (!add && node.getInput(0).equals(sumOutput) && b instanceof Const c && c.value().size() == 1
        && c.value().toFloat().data()[0] == 0.5f) {
      ((RecurrentLift) drafts.get(drafts.size() - 1)).mergeAverage();
      values.put(out, a instanceof LiftedValue.Reversed r ? new LiftedValue.Reversed(r.layer(), MergeMode.AVE) : a);
    } else if (PositionalLift.matches(node, a, b)) {
      values.put(out, PositionalLift.lift(g, node, a, b, drafts, suggestedNames));
    } else if (add && (a instanceof Const || b instanceof Const)) {
      boolean first = a instanceof Const;
      String main = node.getInput(first ? 1 : 0);
      Const c = (Const) (first ? a : b);
      if (!main.equals(denseOutput) || ((DenseDraft) drafts.get(drafts.size() - 1)).hasBias()) {
        throw g.error(node, "adds a constant that is not the bias of a MatMul; supported: MatMul + Add (a dense layer)");
      }
      DenseDraft dense = (DenseDraft) drafts.get(drafts.size() - 1);
      if (c.value().size() != dense.units() || c.value().shape().length != 1) {
        throw g.error(node, "bias has shape " + java.util.Arrays.toString(c.value().shape()) + ", expected ["
            + dense.units() + "] for the MatMul's " + dense.units() + " units");
      }
      dense.bias(c.value().toFloat());
      values.put(out, read(node, main));
      denseOutput = null;
    } else {
      throw g.error(node, node.getOpType() + " of " + describe(a) + " and " + describe(b) + " is not supported;"
          + " supported: a dense layer's bias, and joining the two directions of a bidirectional layer");
    }
  }

  private void matMul(OnnxMl.NodeProto node, List<LiftedValue> in, String out) {
    Main x = latest(node, in.get(0));
    values.put(out, Transforms.dense(g, node, x, in.get(1), false, drafts, suggestedNames));
    denseOutput = out;
  }

  private void gemm(OnnxMl.NodeProto node, List<LiftedValue> in, String out) {
    Main x = latest(node, in.get(0));
    if (OnnxGraph.floatAttr(node, "alpha", 1f) != 1f || OnnxGraph.intAttr(node, "transA", 0) != 0
        || (in.size() > 2 && OnnxGraph.floatAttr(node, "beta", 1f) != 1f)) {
      throw g.error(node, "Gemm with alpha, beta other than 1 or transA is not supported; supported: x·B + C");
    }
    Main y = Transforms.dense(g, node, x, in.get(1), OnnxGraph.intAttr(node, "transB", 0) != 0, drafts, suggestedNames);
    if (in.size() > 2 && in.get(2) != null) {
      DenseDraft dense = (DenseDraft) drafts.get(drafts.size() - 1);
      if (!(in.get(2) instanceof Const c) || c.value().size() != dense.units()) {
        throw g.error(node, "C is " + describe(in.get(2)) + ", expected a constant bias of " + dense.units() + " values");
      }
      dense.bias(Transforms.vector(c.value()));
    }
    values.put(out, y);
  }

  private void activation(OnnxMl.NodeProto node, LiftedValue v, String out) {
    Main x = latest(node, v);
    LayerDraft last = drafts.isEmpty() ? null : drafts.get(drafts.size() - 1);
    if (!(last instanceof DenseDraft dense) || dense.activation() != Activation.LINEAR) {
      throw g.error(node, "an activation that does not follow a dense layer is not supported; supported: one"
          + " activation right after a MatMul (+ Add) or Gemm");
    }
    dense.activation(Transforms.activation(g, node, x));
    denseOutput = null;
    values.put(out, x);
  }
}
