package dev.rnnx.tf;

import dev.rnnx.spec.Attention;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A {@link Graph} model's one serving form, {@code model} (a {@link TfGraphForm}: one placeholder per
 * graph input, one signature output per output node): the weights as constants, each layer node
 * through its kind's serving builder ({@link TfLayers}), cross-attention through the same attention
 * ops with separate queries and values, merges as {@code ConcatV2} on the last axis (halves as
 * {@code Split}), {@code Add},
 * {@code Mul}, {@code Sub}, and an average as the sum times {@code 1/n}.
 */
final class TfGraphModel {

  private TfGraphModel() {}

  static Map<String, TfForm> build(Graph model, Weights weights) {
    ModelForm form = model.forms().get(0);
    Map<String, Shape> shapes = model.tensorShapes();
    TfGraphForm built = TfGraphForm.build(model.name(), form, (graph, tf, in) -> {
      Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        constants.put(p.name(), TfTensors.constant(TfNames.named(tf, p.name()), weights.get(p.name())));
      }
      for (GraphNode node : model.nodes()) { // a shared layer's later call reads the shared constants under its own names
        node.sharedParameters(node.inputs().stream().map(shapes::get).toList()).forEach((own, shared) ->
            constants.put(own, constants.get(shared)));
      }
      TfParameters params = TfParameters.of(constants);
      LayerContext ctx = LayerContext.serving(graph, tf, params, null, Map.of());
      Map<String, Operand<?>> values = new HashMap<>(in);
      GraphMaskFlow masks = new GraphMaskFlow(model, ctx, params, in); // Keras masking (GraphMasks)
      for (GraphNode node : model.nodes()) {
        masks.apply(node, values, (c, n, read) -> apply(c, n, read, shapes));
      }
      Map<String, Operand<?>> out = new LinkedHashMap<>();
      for (String o : model.outputs()) {
        int[] dims = shapes.get(o).dims();
        long[] declared = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
          declared[i] = dims[i];
        }
        out.put(o, GraphShapes.declare(tf, floats(node(model, o), values.get(o)), declared));
      }
      return out;
    });
    Map<String, TfForm> forms = new LinkedHashMap<>();
    forms.put(form.name(), built);
    return forms;
  }

  private static GraphNode node(Graph model, String name) {
    return model.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  private static Operand<TFloat32> apply(LayerContext ctx, GraphNode node, List<Operand<?>> read, Map<String, Shape> shapes) {
    Ops tf = ctx.tf();
    List<Operand<TFloat32>> xs = new ArrayList<>();
    if (node.merge() != null || node.crossAttention()) {
      read.forEach(r -> xs.add(floats(node, r)));
    }
    if (node.merge() != null) {
      return merge(tf, node.merge(), xs);
    }
    if (node.crossAttention()) {
      return crossAttention(tf, ctx, node, xs, shapes);
    }
    return TfLayers.builder(node.kind()).serving(ctx, node.callLayer(), shapes.get(node.inputs().get(0)), read.get(0)).get(0);
  }

  /**
   * A cross-attention node on {@code xs = [query, value]} or {@code [query, value, key]}, causal
   * when its layer is (shared with the training forward, {@code GraphForward}).
   */
  static Operand<TFloat32> crossAttention(Ops tf, LayerContext ctx, GraphNode node, List<Operand<TFloat32>> xs,
      Map<String, Shape> shapes) {
    int dq = shapes.get(node.inputs().get(0)).dim(-1);
    int dv = shapes.get(node.inputs().get(1)).dim(-1);
    boolean causal = node.callLayer() instanceof MultiHeadAttention m ? m.causal() : ((Attention) node.callLayer()).causal();
    Operand<TFloat32> bias = causal ? causalBias(tf, xs.get(0), xs.get(xs.size() - 1)) : null;
    if (node.inputs().size() == 3) { // a separate key tensor
      return keyed(tf, ctx, node, xs, dq, dv, shapes.get(node.keyInput()).dim(-1), bias);
    }
    if (node.callLayer() instanceof MultiHeadAttention m) {
      return AttentionOps.multiHead(tf, ctx.params(), m.name(), m.heads(), m.keyDim(), xs.get(0), dq, xs.get(1), dv, bias);
    }
    Attention a = (Attention) node.callLayer();
    return AttentionOps.attend(tf, ctx.params(), a.name(), a.score(), a.units(), xs.get(0), dq, xs.get(1), dv, bias);
  }

  /**
   * Keras's causal mask of cross-attention as a score bias {@code [1, Tq, Tk]}: {@link
   * AttentionOps#MASKED} where key step j &gt; query step i, over the query's and the keys' lengths.
   */
  private static Operand<TFloat32> causalBias(Ops tf, Operand<TFloat32> query, Operand<TFloat32> keys) {
    Operand<TInt32> rows = tf.range(tf.constant(0), tf.gather(tf.shape(query), tf.constant(1), tf.constant(0)), tf.constant(1));
    Operand<TInt32> cols = tf.range(tf.constant(0), tf.gather(tf.shape(keys), tf.constant(1), tf.constant(0)), tf.constant(1));
    Operand<TFloat32> after = tf.dtypes.cast(tf.math.greater(tf.expandDims(cols, tf.constant(0)), tf.expandDims(rows, tf.constant(1))),
        TFloat32.class);
    return tf.expandDims(tf.math.mul(after, tf.constant(AttentionOps.MASKED)), tf.constant(0));
  }

  /**
   * Cross-attention of {@code xs = [query, value, key]}: scores of the queries against the keys,
   * their softmax weighting the values (as {@link AttentionOps#multiHead} and
   * {@link AttentionOps#attend} with keys apart from the values).
   */
  private static Operand<TFloat32> keyed(Ops tf, LayerContext ctx, GraphNode node, List<Operand<TFloat32>> xs, int dq, int dv, int dk,
      Operand<TFloat32> bias) {
    var p = ctx.params();
    if (node.callLayer() instanceof MultiHeadAttention m) {
      String prefix = m.name();
      int inner = m.heads() * m.keyDim();
      Operand<TFloat32> q = AttentionOps.splitHeads(tf, AttentionOps.dense3(tf, xs.get(0), dq, p.get(prefix + "/query/kernel"),
          p.get(prefix + "/query/bias"), inner), m.heads(), m.keyDim());
      Operand<TFloat32> k = AttentionOps.splitHeads(tf, AttentionOps.dense3(tf, xs.get(2), dk, p.get(prefix + "/key/kernel"),
          p.get(prefix + "/key/bias"), inner), m.heads(), m.keyDim());
      Operand<TFloat32> v = AttentionOps.splitHeads(tf, AttentionOps.dense3(tf, xs.get(1), dv, p.get(prefix + "/value/kernel"),
          p.get(prefix + "/value/bias"), inner), m.heads(), m.keyDim());
      Operand<TFloat32> s = tf.math.mul(AttentionOps.batchMatMul(tf, q, k, true), tf.constant((float) (1 / Math.sqrt(m.keyDim()))));
      s = bias == null ? s : tf.math.add(s, tf.expandDims(bias, tf.constant(1)));
      Operand<TFloat32> heads4 = AttentionOps.batchMatMul(tf, tf.nn.softmax(s), v, false); // [B, h, Tq, k]
      Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(heads4, tf.constant(new int[] {0, 2, 1, 3})),
          GraphShapes.dimsThen(tf, xs.get(0), new int[] {0, 1}, inner));
      return AttentionOps.dense3(tf, merged, inner, p.get(prefix + "/output/kernel"), p.get(prefix + "/output/bias"), dq);
    }
    Attention a = (Attention) node.callLayer();
    Operand<TFloat32> s = AttentionOps.scores(tf, p, a.name(), a.score(), a.units(), xs.get(0), dq, xs.get(2), dk);
    s = bias == null ? s : tf.math.add(s, bias);
    return AttentionOps.batchMatMul(tf, tf.nn.softmax(s), xs.get(1), false);
  }

  /** A merge node on its inputs (shared with the training forward, {@code GraphForward}). */
  static Operand<TFloat32> merge(Ops tf, GraphMerge merge, List<Operand<TFloat32>> xs) {
    if (merge == GraphMerge.CONCATENATE) {
      return tf.concat(xs, tf.constant(-1));
    }
    if (merge.half()) {
      return tf.split(tf.constant(-1), xs.get(0), 2L).output().get(merge == GraphMerge.FIRST_HALF ? 0 : 1);
    }
    Operand<TFloat32> acc = xs.get(0);
    for (int i = 1; i < xs.size(); i++) {
      acc = switch (merge) {
        case MULTIPLY -> tf.math.mul(acc, xs.get(i));
        case SUBTRACT -> tf.math.sub(acc, xs.get(i));
        default -> tf.math.add(acc, xs.get(i));
      };
    }
    return merge == GraphMerge.AVERAGE ? tf.math.mul(acc, tf.constant(1f / xs.size())) : acc;
  }

  private static Operand<TFloat32> floats(GraphNode node, Operand<?> x) {
    if (node.layer() != null) {
      return TfLayerBuilder.floats(node.layer(), x);
    }
    if (x.asOutput().type() != TFloat32.class) {
      throw new IllegalArgumentException("merge node '" + node.name() + "' reads " + x.asOutput().dataType() + ", expected float32");
    }
    return x.asOutput().expect(TFloat32.class);
  }
}
