package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.tensorio.TypedTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PyTorch's {@code TransformerEncoderLayer} (post-norm or pre-norm, relu or gelu, no mask) lifted
 * into rnnx's {@link TransformerEncoder}. The block is found by its shape in the graph, not its
 * names: post-norm {@code LN2(a + FFN(a))} with {@code a = LN1(x + attention(x))}; pre-norm
 * ({@code norm_first=True}) {@code a + FFN(LN2(a))} with {@code a = x + attention(LN1(x))}, the
 * attention branch holding a {@code Softmax} and the feed-forward branch none; every node of the
 * block reads, through any chain, the block input {@code x}. The feed-forward activation is relu, or
 * gelu where the branch holds an {@code Erf} (PyTorch's exact gelu, {@code x·0.5·(1 + erf(x/√2))}).
 * Its parameters are read from the constant
 * operands: the packed input projection {@code [d, 3d]} (query, key, value columns) and its bias, the
 * output projection ({@code Gemm} with {@code transB} or {@code MatMul}), the two feed-forward
 * matrices and the two layer norms; the head count from the scale {@code √(d/heads)} the queries are
 * divided by. Because the attention's plumbing varies by exporter and opset, the importer then
 * checks the whole imported model against the original graph on the pure-Java ONNX evaluator and
 * refuses the file when they differ ({@link OnnxImporter}).
 */
final class TransformerLift implements LayerDraft {

  /**
   * A block found in the graph: its input value, its last node, the nodes inside it, the layer it
   * lifts to, its width and that layer's kind.
   */
  record Block(String input, OnnxMl.NodeProto last, Set<OnnxMl.NodeProto> nodes, LayerDraft lift, int width, String kind) {}

  final int width;
  private final int heads;
  private final int ffDim;
  private final double epsilon;
  private final boolean normFirst;
  private final FeedForwardActivation activation;
  private final Map<String, FloatTensor> roles;
  private final boolean causal;

  private TransformerLift(int width, int heads, int ffDim, double epsilon, boolean normFirst, FeedForwardActivation activation,
      Map<String, FloatTensor> roles, boolean causal) {
    this.causal = causal;
    this.width = width;
    this.heads = heads;
    this.ffDim = ffDim;
    this.epsilon = epsilon;
    this.normFirst = normFirst;
    this.activation = activation;
    this.roles = roles;
  }

  @Override
  public Layer build(String name) {
    return new TransformerEncoder(name, heads, ffDim, epsilon, causal, normFirst, activation);
  }

  @Override
  public Map<String, FloatTensor> weights(String name) {
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    roles.forEach((k, v) -> w.put(name + "/" + k, v));
    return w;
  }

  /**
   * Every block of the graph, by its last node: the encoder blocks, then self-attention outside them
   * ({@link AttentionLift}). {@code skip} receives their nodes and the plumbing that only they read.
   */
  static Map<OnnxMl.NodeProto, Block> blocks(OnnxGraph g, List<OnnxMl.NodeProto> live, Set<OnnxMl.NodeProto> skip) {
    Map<OnnxMl.NodeProto, Block> lastOf = new IdentityHashMap<>();
    for (Block b : detect(g)) {
      lastOf.put(b.last(), b);
      skip.addAll(b.nodes());
    }
    for (Block b : AttentionLift.detect(g, skip)) {
      lastOf.put(b.last(), b);
      skip.addAll(b.nodes());
    }
    if (!skip.isEmpty()) {
      // plumbing outside a block that only feeds it (constants, their unsqueezes) goes with it; its input does not
      Set<String> outputs = new HashSet<>();
      g.outputs().forEach(o -> outputs.add(o.getName()));
      lastOf.values().forEach(b -> outputs.add(b.input()));
      for (int i = live.size() - 1; i >= 0; i--) {
        OnnxMl.NodeProto n = live.get(i);
        if (skip.contains(n) || n.getOutputList().stream().anyMatch(outputs::contains)) {
          continue;
        }
        List<OnnxMl.NodeProto> readers = live.stream().filter(r -> r.getInputList().stream()
            .anyMatch(n.getOutputList()::contains)).toList();
        if (!readers.isEmpty() && skip.containsAll(readers)) {
          skip.add(n);
        }
      }
    }
    return lastOf;
  }

  /** Finds the encoder blocks among the live nodes: the pre-norm ones, then the post-norm ones. */
  static List<Block> detect(OnnxGraph g) {
    List<OnnxMl.NodeProto> nodes = g.liveNodes();
    Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    nodes.forEach(n -> n.getOutputList().forEach(o -> producer.put(o, n)));
    List<Block> blocks = new ArrayList<>(PreNormBlocks.detect(g, nodes, producer));
    Set<OnnxMl.NodeProto> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    blocks.forEach(b -> taken.addAll(b.nodes()));
    for (OnnxMl.NodeProto n2 : nodes) {
      if (!n2.getOpType().equals("LayerNormalization") || taken.contains(n2)) {
        continue;
      }
      OnnxMl.NodeProto add2 = producer.get(n2.getInput(0));
      if (add2 == null || !add2.getOpType().equals("Add")) {
        continue;
      }
      OnnxMl.NodeProto n1 = null;
      for (String in : add2.getInputList()) {
        OnnxMl.NodeProto p = producer.get(in);
        if (p != null && p.getOpType().equals("LayerNormalization")) {
          n1 = p;
        }
      }
      if (n1 == null) {
        continue;
      }
      OnnxMl.NodeProto add1 = producer.get(n1.getInput(0));
      if (add1 == null || !add1.getOpType().equals("Add") || add1.getInputCount() != 2) {
        continue;
      }
      String x = null;
      for (int i = 0; i < 2; i++) {
        if (ancestors(add1.getInput(1 - i), producer).contains(add1.getInput(i))) {
          x = add1.getInput(i);
        }
      }
      if (x == null) {
        continue;
      }
      Set<OnnxMl.NodeProto> region = region(x, n2, nodes, producer);
      TransformerLift lift = read(g, region, n1, n2, n2, false, producer);
      blocks.add(new Block(x, n2, region, lift, lift.width, TransformerEncoder.KIND));
    }
    return blocks;
  }

  /**
   * Reads a block's parameters from its {@code region}: {@code n1} is the attention's layer norm,
   * {@code n2} the feed-forward part's, {@code last} the block's last node (named in refusals).
   */
  static TransformerLift read(OnnxGraph g, Set<OnnxMl.NodeProto> region, OnnxMl.NodeProto n1, OnnxMl.NodeProto n2,
      OnnxMl.NodeProto last, boolean normFirst, Map<String, OnnxMl.NodeProto> producer) {
    List<OnnxMl.NodeProto> products = new ArrayList<>();
    Float scale = null;
    boolean divides = true;
    boolean relu = false;
    boolean erf = false;
    OnnxMl.NodeProto attention = null;
    boolean causal = false;
    for (OnnxMl.NodeProto n : g.liveNodes()) {
      if (!region.contains(n)) {
        continue;
      }
      if (n.getOpType().equals("Attention")) {
        SeparateAttention.checkAttentionOp(g, n, true);
        causal |= OnnxGraph.intAttr(n, "is_causal", 0) != 0;
        attention = n;
        continue;
      }
      if (n.getOpType().equals("Where") && CausalMask.scores(g, n, producer) != null) {
        causal = true; // rnnx's causal mask (checked numerically with the rest)
        continue;
      }
      if (n.getOpType().equals("Where")) {
        throw g.error(n, "a Transformer encoder block whose attention scores are masked (a causal mask or the"
            + " sequence lengths' padding mask) is not supported; supported: encoder blocks without masks");
      }
      switch (n.getOpType()) {
        case "MatMul", "Gemm" -> {
          if (constant(g, n.getInput(1), producer) != null) {
            products.add(n);
          }
        }
        case "Relu" -> relu = true;
        case "Erf" -> erf = true;
        case "Div", "Mul" -> {
          TypedTensor c = constant(g, n.getInput(1), producer);
          if (c != null && c.type().isFloating() && c.size() == 1 && scale == null && attention == null) {
            scale = (float) c.toFloat().data()[0];
            divides = n.getOpType().equals("Div");
          }
        }
        case "Gelu" -> { // ONNX's Gelu (opset 20): the exact form is rnnx's gelu
          if (!OnnxGraph.stringAttr(n, "approximate", "none").equals("none")) {
            throw g.error(n, "the feed-forward activation Gelu(approximate='" + OnnxGraph.stringAttr(n, "approximate", "")
                + "') is not supported; supported: relu and the exact gelu (Gelu with approximate 'none', or"
                + " x·0.5·(1 + Erf(x/√2)))");
          }
          erf = true;
        }
        case "Tanh", "Sigmoid" -> throw g.error(n, "the feed-forward activation of a Transformer encoder"
            + " block must be relu or the exact gelu (x·0.5·(1 + Erf(x/√2)), PyTorch's activation='gelu'); got "
            + n.getOpType() + (n.getOpType().equals("Tanh") ? " (gelu's tanh approximation is not supported)" : ""));
        default -> { }
      }
    }
    boolean separate = products.size() == 6; // rnnx's: query, key and value projections of their own
    if (attention != null) { // ONNX's Attention op (rnnx at opset 23): its default scale 1/√(d/heads)
      long heads = OnnxGraph.intAttr(attention, "q_num_heads", 0);
      FloatTensor q = products.isEmpty() ? null : kernel(g, products.get(0), producer);
      if (heads < 1 || q == null || q.dim(1) % heads != 0) {
        throw g.error(attention, "expected q_num_heads dividing the query width");
      }
      scale = (float) Math.sqrt((double) q.dim(1) / heads);
      divides = true;
    }
    if (!(products.size() == 4 || separate) || relu == erf || scale == null) {
      throw g.error(last, "a Transformer encoder block was found (" + (normFirst ? "pre-norm: a residual around a"
          + " LayerNormalization and attention, then around a LayerNormalization and feed-forward part" : "LayerNormalization"
          + " after a residual of a LayerNormalization") + "), but not PyTorch's TransformerEncoderLayer pattern: expected 4"
          + " constant matrix products (packed q/k/v projection, output projection, two feed-forward layers; or 6, rnnx's"
          + " separate q, k and v), one relu or"
          + " gelu (Erf) and a query scale; found " + products.size() + " products" + (relu || erf ? "" : ", no activation")
          + (relu && erf ? ", both relu and Erf" : "") + (scale == null ? ", no scale" : ""));
    }
    FloatTensor inProj = kernel(g, products.get(0), producer);
    int d = (int) inProj.dim(0);
    if (separate) {
      for (int p = 0; p < 3; p++) {
        FloatTensor k = kernel(g, products.get(p), producer);
        if (k.dim(0) != d || k.dim(1) != d || !products.get(p).getInput(0).equals(products.get(0).getInput(0))) {
          throw g.error(products.get(p), "expected the query, key and value projections [" + d + ", " + d
              + "] of one input; supported: self-attention");
        }
      }
    } else if (inProj.dim(1) != 3L * d) {
      throw g.error(products.get(0), "the attention's input projection has shape [" + inProj.dim(0) + ", " + inProj.dim(1)
          + "], expected the packed [d, 3d] of PyTorch's MultiheadAttention");
    }
    int first = separate ? 3 : 1; // the output projection's index
    double headDim = divides ? (double) scale * scale : 1.0 / ((double) scale * scale);
    long hd = Math.round(headDim);
    if (hd < 1 || Math.abs(headDim - hd) > 1e-3 || d % hd != 0) {
      throw g.error(last, "the attention scale " + scale + " does not give a head width that divides " + d);
    }
    Map<String, FloatTensor> roles = new LinkedHashMap<>();
    String[] parts = {"query", "key", "value"};
    if (separate) {
      for (int p = 0; p < 3; p++) {
        roles.put("attention/" + parts[p] + "/kernel", kernel(g, products.get(p), producer));
        roles.put("attention/" + parts[p] + "/bias", bias(g, products.get(p), producer, d));
      }
    } else {
      FloatTensor inBias = bias(g, products.get(0), producer, 3 * d);
      for (int p = 0; p < 3; p++) {
        roles.put("attention/" + parts[p] + "/kernel", columns(inProj, p * d, d));
        roles.put("attention/" + parts[p] + "/bias", FloatTensor.of(java.util.Arrays.copyOfRange(inBias.data(), p * d, (p + 1) * d), d));
      }
    }
    roles.put("attention/output/kernel", kernel(g, products.get(first), producer));
    roles.put("attention/output/bias", bias(g, products.get(first), producer, d));
    norm(g, n1, d, "attention_norm", roles, producer);
    FloatTensor inner = kernel(g, products.get(first + 1), producer);
    int ff = (int) inner.dim(1);
    roles.put("ffn_inner/kernel", inner);
    roles.put("ffn_inner/bias", bias(g, products.get(first + 1), producer, ff));
    roles.put("ffn_outer/kernel", kernel(g, products.get(first + 2), producer));
    roles.put("ffn_outer/bias", bias(g, products.get(first + 2), producer, d));
    norm(g, n2, d, "ffn_norm", roles, producer);
    float e1 = OnnxGraph.floatAttr(n1, "epsilon", 1e-5f);
    if (e1 != OnnxGraph.floatAttr(n2, "epsilon", 1e-5f)) {
      throw g.error(n2, "the two layer norms of a Transformer encoder block use different epsilons");
    }
    return new TransformerLift(d, (int) (d / hd), ff, Double.parseDouble(Float.toString(e1)), normFirst,
        erf ? FeedForwardActivation.GELU : FeedForwardActivation.RELU, roles, causal);
  }

  private static void norm(OnnxGraph g, OnnxMl.NodeProto n, int d, String role, Map<String, FloatTensor> roles,
      Map<String, OnnxMl.NodeProto> producer) {
    TypedTensor gamma = constant(g, OnnxGraph.input(n, 1), producer);
    TypedTensor beta = constant(g, OnnxGraph.input(n, 2), producer);
    if (gamma == null || beta == null || gamma.size() != d || beta.size() != d) {
      throw g.error(n, "expected constant scale and bias of " + d + " values");
    }
    roles.put(role + "/gamma", Transforms.vector(gamma));
    roles.put(role + "/beta", Transforms.vector(beta));
  }

  /** The kernel {@code [in, out]} of a MatMul, or of a Gemm with or without transB. */
  static FloatTensor kernel(OnnxGraph g, OnnxMl.NodeProto n, Map<String, OnnxMl.NodeProto> producer) {
    FloatTensor k = constant(g, n.getInput(1), producer).toFloat();
    if (k.rank() != 2) {
      throw g.error(n, "expected a constant matrix");
    }
    if (n.getOpType().equals("Gemm") && OnnxGraph.intAttr(n, "transB", 0) != 0) {
      return Transforms.transpose(k);
    }
    return k;
  }

  /** A Gemm's C, or the constant added to a MatMul's output. */
  private static FloatTensor bias(OnnxGraph g, OnnxMl.NodeProto n, Map<String, OnnxMl.NodeProto> producer, int size) {
    TypedTensor b = null;
    if (n.getOpType().equals("Gemm")) {
      b = constant(g, OnnxGraph.input(n, 2), producer);
    } else {
      for (OnnxMl.NodeProto c : g.liveNodes()) {
        if (c.getOpType().equals("Add") && c.getInputList().contains(n.getOutput(0))) {
          for (String in : c.getInputList()) {
            TypedTensor t = constant(g, in, producer);
            b = t != null ? t : b;
          }
        }
      }
    }
    if (b == null || b.size() != size) {
      throw g.error(n, "expected a constant bias of " + size + " values");
    }
    return Transforms.vector(b);
  }

  static FloatTensor columns(FloatTensor m, int from, int count) {
    int rows = (int) m.dim(0);
    int cols = (int) m.dim(1);
    float[] out = new float[rows * count];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(m.data(), i * cols + from, out, i * count, count);
    }
    return FloatTensor.of(out, rows, count);
  }

  /** An initializer, a Constant node's value, or either through Identity nodes; null otherwise. */
  static TypedTensor constant(OnnxGraph g, String name, Map<String, OnnxMl.NodeProto> producer) {
    if (name.isEmpty()) {
      return null;
    }
    TypedTensor init = g.initializer(name);
    if (init != null) {
      return init;
    }
    OnnxMl.NodeProto p = producer.get(name);
    if (p == null) {
      return null;
    }
    if (p.getOpType().equals("Constant")) {
      return g.constant(p);
    }
    return p.getOpType().equals("Identity") ? constant(g, p.getInput(0), producer) : null;
  }

  static Set<String> ancestors(String value, Map<String, OnnxMl.NodeProto> producer) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(value));
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (seen.add(v) && producer.containsKey(v)) {
        todo.addAll(producer.get(v).getInputList());
      }
    }
    return seen;
  }

  /** The nodes that read {@code x} through any chain and feed {@code last}'s output, {@code last} included. */
  static Set<OnnxMl.NodeProto> region(String x, OnnxMl.NodeProto last, List<OnnxMl.NodeProto> nodes,
      Map<String, OnnxMl.NodeProto> producer) {
    Set<String> up = ancestors(last.getOutput(0), producer);
    Set<String> down = new HashSet<>(List.of(x));
    Set<OnnxMl.NodeProto> region = Collections.newSetFromMap(new IdentityHashMap<>());
    for (OnnxMl.NodeProto n : nodes) {
      if (n.getInputList().stream().anyMatch(down::contains)) {
        down.addAll(n.getOutputList());
        if (n.getOutputList().stream().anyMatch(up::contains) || n == last) {
          region.add(n);
        }
      }
    }
    return region;
  }
}
