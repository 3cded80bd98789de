package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.onnx.LiftedValue.Main;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the walk's drafts into a {@link Sequential} and its canonical weights: names the layers
 * (after the nodes' scopes where they are valid layer names, made unique), checks the graph's one
 * output, and records what changed in the interface (the input is renamed {@code input}; a
 * time-major graph becomes a batch-major model).
 */
final class SequentialAssembly {

  /** The model, its weights and the notes for the user. */
  record Result(Sequential model, Weights weights, List<String> notes) {}

  private SequentialAssembly() {}

  /**
   * A layer name suggested by a node's scope: {@code /rnn/LSTM_1} (PyTorch) and {@code lstm/LSTM}
   * (rnnx) give {@code rnn} and {@code lstm}; {@code fallback} when the node has no usable scope.
   */
  static String suggest(OnnxMl.NodeProto node, String fallback) {
    String n = node.getName();
    if (n.startsWith("/")) {
      n = n.substring(1);
    }
    int slash = n.lastIndexOf('/');
    String scope = slash > 0 ? n.substring(0, slash).replace('/', '_').replace('.', '_') : "";
    return scope.matches("[A-Za-z][A-Za-z0-9_\\-]*") ? scope : fallback;
  }

  /**
   * A block's layer name: the longest scope of its last node that most of its nodes share ({@code te}
   * of rnnx's {@code te/attention/query/MatMul} … {@code te/ffn_norm/LayerNormalization}, whatever
   * mask plumbing the block also holds), else the scope of its last node.
   */
  static String blockName(TransformerLift.Block block) {
    List<List<String>> scopes = new ArrayList<>();
    for (OnnxMl.NodeProto n : block.nodes()) {
      scopes.add(scope(n));
    }
    List<String> last = scope(block.last());
    for (int k = last.size(); k > 0; k--) {
      List<String> prefix = last.subList(0, k);
      int size = k;
      long sharing = scopes.stream().filter(sc -> sc.size() >= size && sc.subList(0, size).equals(prefix)).count();
      String shared = String.join("_", prefix).replace('.', '_');
      if (2 * sharing > scopes.size() && shared.matches("[A-Za-z][A-Za-z0-9_\\-]*")) {
        return shared;
      }
    }
    return suggest(block.last(), block.kind()).replaceAll("_norm2$", "");
  }

  private static List<String> scope(OnnxMl.NodeProto n) {
    String name = n.getName().startsWith("/") ? n.getName().substring(1) : n.getName();
    List<String> parts = List.of(name.split("/"));
    return parts.subList(0, Math.max(0, parts.size() - 1));
  }

  /**
   * Checks that the graph outputs after the first return the last recurrent layer's final states in
   * Keras's order (per direction h, then c for an LSTM; forward, then backward) and marks the layer
   * {@code return_state}; the hidden state of a one-direction layer that returns no sequence may be
   * the first output itself again (rnnx writes an {@code Identity}).
   */
  private static void returnedStates(OnnxGraph g, GraphLifter lifter, String outName, List<String> stateOutputs) {
    LayerDraft lastDraft = lifter.drafts.isEmpty() ? null : lifter.drafts.get(lifter.drafts.size() - 1);
    if (!(lastDraft instanceof RecurrentLift r)) {
      throw g.error("has " + (stateOutputs.size() + 1) + " outputs; supported: one output, or the last recurrent"
          + " layer's output and its final states (return_state)");
    }
    boolean lstm = r.op.equals("LSTM");
    int perDirection = lstm ? 2 : 1;
    if (stateOutputs.size() != perDirection * r.dirs) {
      throw g.error("has " + (stateOutputs.size() + 1) + " outputs; supported: one, or the output and the last"
          + " layer's " + perDirection * r.dirs + " final states (return_state)");
    }
    int layer = lifter.drafts.size() - 1;
    for (int i = 0; i < stateOutputs.size(); i++) {
      int kerasDirection = i / perDirection;
      int onnxDirection = r.swapped() ? 1 - kerasDirection : kerasDirection;
      boolean cell = i % perDirection == 1;
      LiftedValue v = lifter.valueOf(stateOutputs.get(i));
      boolean ok = v instanceof LiftedValue.StateOut s && s.layer() == layer && s.direction() == onnxDirection
          && s.cell() == cell;
      ok |= !cell && r.dirs == 1 && v instanceof Main m && m.equals(lifter.valueOf(outName)) && m.rank() == 2;
      if (!ok) {
        throw g.error("output '" + stateOutputs.get(i) + "' is " + LiftedValue.describe(v) + ", expected the last"
            + " recurrent layer's final " + (cell ? "cell" : "hidden") + " state" + (r.dirs == 2 ? " of direction "
            + kerasDirection : "") + " (return_state: per direction h" + (lstm ? ", then c" : "") + ")");
      }
    }
    r.returnState = true;
  }

  static Result assemble(OnnxGraph g, GraphLifter lifter, OnnxMl.ValueInfoProto input, boolean tokens, int features,
      String lengths, Map<String, Integer> states, String modelName) {
    for (String state : states.keySet()) {
      if (!lifter.stateInputs.contains(state)) {
        throw g.error("input '" + state + "' is not the initial state of a recurrent node; supported: one sequence"
            + " input, optionally an int32 lengths input and initial states");
      }
    }
    String outName = g.outputs().get(0).getName();
    List<String> stateOutputs = g.outputs().stream().skip(1).map(OnnxMl.ValueInfoProto::getName).toList();
    if (!stateOutputs.isEmpty()) {
      returnedStates(g, lifter, outName, stateOutputs);
    }
    if (!(lifter.valueOf(outName) instanceof Main out) || out.tokens() || out.layers() == 0) {
      throw g.error("output '" + outName + "' is " + LiftedValue.describe(lifter.valueOf(outName))
          + ", expected the output of the last layer");
    }
    if (out.layers() != lifter.drafts.size()) {
      throw g.error("output '" + outName + "' is not the output of the last layer");
    }
    boolean timeMajor = Boolean.TRUE.equals(lifter.inputTimeMajor);
    if (out.rank() == 3 && out.flips() % 2 != 0) {
      throw g.error("output '" + outName + "' is " + (timeMajor ? "batch-major" : "time-major") + " while input '"
          + input.getName() + "' is " + (timeMajor ? "time-major" : "batch-major")
          + "; a sequential model keeps one layout");
    }
    if (lengths != null && !lifter.lengthsUsed) {
      throw g.error("input '" + lengths + "' is not the sequence_lens of any recurrent node");
    }
    List<Layer> layers = new ArrayList<>();
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (int i = 0; i < lifter.drafts.size(); i++) {
      String base = lifter.suggestedNames.get(i).toLowerCase(Locale.ROOT);
      String name = base;
      for (int k = 1; !used.add(name); k++) {
        name = base + "_" + k;
      }
      layers.add(lifter.drafts.get(i).build(name));
      weights.putAll(lifter.drafts.get(i).weights(name));
    }
    int width = features > 0 ? features : firstWidth(weights, layers);
    ModelInput in = tokens ? ModelInput.ofTokens() : ModelInput.ofFeatures(width);
    if (lengths != null) {
      in = in.withLengths();
    }
    Sequential model;
    try {
      model = new Sequential(modelName, in, layers);
    } catch (IllegalArgumentException e) {
      throw g.error("cannot be expressed as a sequential model: " + e.getMessage());
    }
    List<String> notes = new ArrayList<>();
    notes.add("graph input '" + input.getName() + "' is the model's input 'input'"
        + (lengths != null ? ", '" + lengths + "' its 'lengths'" : "") + "; output '" + outName + "' is 'output'");
    List<String> rnnxOutputs = model.outputs().stream().map(dev.rnnx.spec.TensorSpec::name).toList();
    for (int i = 0; i < stateOutputs.size(); i++) {
      notes.add("graph output '" + stateOutputs.get(i) + "' is the model's output '" + rnnxOutputs.get(i + 1) + "'");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (lifter.drafts.get(i) instanceof RecurrentLift r && !r.stateInputs().isEmpty()) {
        List<String> rnnxNames = layers.get(i).stateInputNames();
        int perDirection = r.op.equals("LSTM") ? 2 : 1;
        for (int k = 0; k < perDirection; k++) {
          for (int d = 0; d < r.dirs; d++) {
            String graphInput = r.stateInputs().get(k * r.dirs + d);
            notes.add("graph input '" + graphInput + "' is the model's input '" + Sequential.stateInputName(layers.get(i),
                rnnxNames.get(d * perDirection + k)) + "'" + (states.get(graphInput) == 3 ? ", [batch, units] instead of"
                + " [1, batch, units]" : ""));
          }
        }
      }
    }
    if (timeMajor) {
      notes.add("the ONNX graph reads time-major [time, batch, ...] and returns " + (out.rank() == 3 ? "time-major" : "[batch, units]")
          + "; the imported model is batch-major [batch, time, ...] like every rnnx model: swap the first two axes");
    }
    return new Result(model, new Weights(weights), notes);
  }

  /** The input width when the graph leaves it symbolic: the first layer's kernel rows. */
  private static int firstWidth(Map<String, FloatTensor> weights, List<Layer> layers) {
    String first = layers.get(0).name();
    for (var e : weights.entrySet()) {
      if (e.getKey().startsWith(first + "/") && e.getKey().endsWith("kernel") && !e.getKey().endsWith("recurrent_kernel")) {
        return (int) e.getValue().dim(0);
      }
    }
    return 1;
  }
}
