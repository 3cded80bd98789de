package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.onnx.LiftedValue.Const;
import dev.rnnx.imports.onnx.LiftedValue.Main;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Flatten;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.GlobalMaxPooling;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.tensorio.TypedTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-step layers lifted from single nodes: an embedding ({@code Gather} of a constant table by
 * the token ids), a dense layer ({@code MatMul} or {@code Gemm} by a constant kernel), layer
 * normalisation ({@code LayerNormalization} on the last axis) and the activation after a dense layer.
 */
final class Transforms {

  private Transforms() {}

  /** An embedding: {@code Gather(table [V, E], ids)}. */
  static Main embedding(OnnxGraph g, OnnxMl.NodeProto node, Main ids, Const table, List<LayerDraft> drafts,
      List<String> names) {
    long[] s = table.value().shape();
    if (s.length != 2 || !table.value().type().isFloating()) {
      throw g.error(node, "the embedding table has shape " + Arrays.toString(s) + ", expected a float matrix [vocabulary, width]");
    }
    FloatTensor t = table.value().toFloat();
    drafts.add(fixed(name -> new Embedding(name, (int) s[0], (int) s[1], Initializer.EMBEDDING), Map.of("embeddings", t)));
    names.add(SequentialAssembly.suggest(node, "embedding"));
    return new Main(ids.flips(), 3, (int) s[1], false, drafts.size());
  }

  /** A dense layer of kernel {@code w} ({@code [in, units]}, or {@code [units, in]} with {@code transposed}). */
  static Main dense(OnnxGraph g, OnnxMl.NodeProto node, Main x, LiftedValue w, boolean transposed,
      List<LayerDraft> drafts, List<String> names) {
    if (x.tokens()) {
      throw g.error(node, "multiplies the token ids; expected an embedding first");
    }
    if (!(w instanceof Const c) || c.value().shape().length != 2 || !c.value().type().isFloating()) {
      throw g.error(node, "the second input is " + LiftedValue.describe(w) + ", expected a constant float kernel matrix");
    }
    FloatTensor k = c.value().toFloat();
    if (transposed) {
      k = transpose(k);
    }
    int in = (int) k.dim(0);
    if (x.features() > 0 && in != x.features()) {
      throw g.error(node, "the kernel has shape " + Arrays.toString(c.value().shape()) + ", which does not fit the"
          + " input width " + x.features());
    }
    drafts.add(new DenseDraft(k));
    names.add(SequentialAssembly.suggest(node, "dense"));
    return new Main(x.flips(), x.rank(), (int) k.dim(1), false, drafts.size());
  }

  /** {@code LayerNormalization(x, scale, bias)} over the last axis. */
  static Main layerNorm(OnnxGraph g, OnnxMl.NodeProto node, Main x, List<LiftedValue> in, List<LayerDraft> drafts,
      List<String> names) {
    long axis = OnnxGraph.intAttr(node, "axis", -1);
    if (axis != -1 && axis != x.rank() - 1) {
      throw g.error(node, "normalises from axis " + axis + "; supported: the last axis only");
    }
    if (!(in.get(1) instanceof Const scale)) {
      throw g.error(node, "scale is " + LiftedValue.describe(in.get(1)) + ", expected a constant");
    }
    Const bias = in.size() > 2 && in.get(2) instanceof Const b ? b : null;
    if (in.size() > 2 && in.get(2) != null && bias == null) {
      throw g.error(node, "bias is " + LiftedValue.describe(in.get(2)) + ", expected a constant");
    }
    int d = scale.value().size();
    if (x.features() > 0 && d != x.features() || bias != null && bias.value().size() != d) {
      throw g.error(node, "scale and bias have " + d + " and " + (bias == null ? 0 : bias.value().size())
          + " values, expected the input width " + x.features());
    }
    // the float attribute's shortest decimal: 0.001f reads 0.001, as the recipe wrote it
    double eps = Double.parseDouble(Float.toString(OnnxGraph.floatAttr(node, "epsilon", 1e-5f)));
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("gamma", vector(scale.value()));
    if (bias != null) {
      w.put("beta", vector(bias.value()));
    }
    drafts.add(fixed(name -> new LayerNormalization(name, eps, bias != null, true), w));
    names.add(SequentialAssembly.suggest(node, "layer_normalization"));
    return new Main(x.flips(), x.rank(), d, false, drafts.size());
  }

  /** The rnnx activation of an activation node after a dense layer. */
  static Activation activation(OnnxGraph g, OnnxMl.NodeProto node, Main x) {
    return switch (node.getOpType()) {
      case "Relu" -> Activation.RELU;
      case "Tanh" -> Activation.TANH;
      case "Sigmoid" -> Activation.SIGMOID;
      case "Softsign" -> Activation.SOFTSIGN;
      case "Softplus" -> Activation.SOFTPLUS;
      case "Elu" -> {
        if (OnnxGraph.floatAttr(node, "alpha", 1f) != 1f) {
          throw g.error(node, "Elu with alpha other than 1 is not supported");
        }
        yield Activation.ELU;
      }
      case "HardSigmoid" -> {
        if (OnnxGraph.floatAttr(node, "alpha", 0.2f) != 0.2f || OnnxGraph.floatAttr(node, "beta", 0.5f) != 0.5f) {
          throw g.error(node, "HardSigmoid other than alpha 0.2, beta 0.5 (Keras 2's hard_sigmoid) is not supported");
        }
        yield Activation.HARD_SIGMOID;
      }
      default -> {
        long axis = OnnxGraph.intAttr(node, "axis", -1);
        if (axis != -1 && axis != x.rank() - 1) {
          throw g.error(node, "Softmax on axis " + axis + " is not supported; supported: the last axis");
        }
        yield Activation.SOFTMAX;
      }
    };
  }

  /** A constant's values as a float vector. */
  static FloatTensor vector(TypedTensor t) {
    FloatTensor f = t.toFloat();
    return FloatTensor.of(f.data(), f.size());
  }

  /** A matrix transposed. */
  static FloatTensor transpose(FloatTensor k) {
    int r = (int) k.dim(0);
    int c = (int) k.dim(1);
    float[] out = new float[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        out[j * r + i] = k.data()[i * c + j];
      }
    }
    return FloatTensor.of(out, c, r);
  }

  /** A layer whose fields are all known; renamed when built. */
  /**
   * A pooling over the time axis ({@code ReduceMean} or {@code ReduceMax} of the time axis, keepdims 0:
   * rnnx's export without lengths) as {@code global_average_pooling} or {@code global_max_pooling}.
   */
  static Main pooling(OnnxMl.NodeProto node, Main x, List<String> names, List<LayerDraft> drafts) {
    boolean mean = node.getOpType().equals("ReduceMean");
    drafts.add(fixed(name -> mean ? new GlobalAveragePooling(name) : new GlobalMaxPooling(name), Map.of()));
    names.add(SequentialAssembly.suggest(node, mean ? GlobalAveragePooling.KIND : GlobalMaxPooling.KIND));
    return new Main(0, 2, x.features(), false, drafts.size());
  }

  /**
   * Whether a {@code ReduceMean} / {@code ReduceMax} reduces axis 0 (a time-major sequence) rather than
   * axis 1; refuses any other reduction.
   */
  static boolean poolsTimeMajor(OnnxGraph g, OnnxMl.NodeProto node, Main x, List<LiftedValue> in) {
    List<Long> axes = OnnxGraph.intsAttr(node, "axes");
    if (axes == null && in.size() > 1 && in.get(1) instanceof Const c && c.value().longs() != null) {
      axes = java.util.Arrays.stream(c.value().longs()).boxed().toList();
    }
    boolean timeAxis = axes != null && axes.size() == 1 && (axes.get(0) == 0 || axes.get(0) == 1);
    if (x.rank() != 3 || x.tokens() || !timeAxis || OnnxGraph.intAttr(node, "keepdims", 1) != 0) {
      throw g.error(node, node.getOpType() + " over axes " + axes + " of " + LiftedValue.describe(x) + " is not"
          + " supported; supported: the time axis of the model's sequence with keepdims 0 (global pooling)");
    }
    return axes.get(0) == 0;
  }

  /** rnnx's {@code flatten}: {@code Reshape(x [B, T, F], [0, T·F])} over a fixed number of steps. */
  static Main flatten(OnnxGraph g, OnnxMl.NodeProto node, Main x, LiftedValue shape, List<String> names,
      List<LayerDraft> drafts) {
    long[] s = shape instanceof Const c && c.value().longs() != null ? c.value().longs() : null;
    if (s == null || s.length != 2 || s[0] != 0 || x.rank() != 3 || x.flips() % 2 != 0 || x.features() <= 0
        || s[1] % x.features() != 0 || s[1] <= 0) {
      throw g.error(node, "Reshape of " + LiftedValue.describe(x) + " is not supported; supported: rnnx's flatten"
          + " (a batch-major [B, T, F] to [0, T·F], F known) and joining the directions of a recurrent output"
          + " [T, B, dirs, H] into [T, B, dirs·H]");
    }
    int steps = (int) (s[1] / x.features());
    drafts.add(fixed(name -> new Flatten(name, steps), Map.of()));
    names.add(SequentialAssembly.suggest(node, Flatten.KIND));
    return new Main(0, 2, (int) s[1], false, drafts.size());
  }

  private static LayerDraft fixed(java.util.function.Function<String, Layer> make, Map<String, FloatTensor> roles) {
    return new LayerDraft() {
      @Override
      public Layer build(String name) {
        return make.apply(name);
      }

      @Override
      public Map<String, FloatTensor> weights(String name) {
        Map<String, FloatTensor> w = new LinkedHashMap<>();
        roles.forEach((k, v) -> w.put(name + "/" + k, v));
        return w;
      }
    };
  }
}
