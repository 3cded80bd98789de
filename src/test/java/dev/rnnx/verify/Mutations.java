package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The export bugs users of tf2onnx and torch.onnx actually hit, injected into an rnnx export, and
 * the seeded models they are injected into.
 */
final class Mutations {

  private Mutations() {}

  /** Every parameter drawn from U(−scale, scale), seeded. */
  static Weights weights(Sequential model, long seed, double scale) {
    Random rnd = new Random(seed);
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
      }
      m.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    return new Weights(m);
  }

  /** Exports the model, applies a mutation to the graph, and writes the file (unchecked: a bug may pass the checker or not). */
  static Path export(Sequential model, Weights weights, Path file, UnaryOperator<OnnxMl.ModelProto> mutation) throws IOException {
    OnnxMl.ModelProto exported = OnnxExporter.export(model, weights, 17, new Provenance(model.name(), "", 0, Map.of(), Map.of())).get("model");
    Files.write(file, mutation.apply(exported).toByteArray());
    return file;
  }

  /** The node of an op type whose name starts with the layer name. */
  static int nodeIndex(OnnxMl.GraphProto g, String layer, String op) {
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getOpType().equals(op) && g.getNode(i).getName().startsWith(layer + "/")) {
        return i;
      }
    }
    throw new AssertionError("no " + op + " node for layer " + layer);
  }

  /** LSTM gates left in Keras order: W, R and B's gate blocks i, o, f, c rewritten as i, f, c, o. */
  static OnnxMl.ModelProto lstmKerasGateOrder(OnnxMl.ModelProto m, String layer) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    OnnxMl.NodeProto node = g.getNode(nodeIndex(g.build(), layer, "LSTM"));
    // ONNX's slots are (i, o, f, c); the bug writes Keras's (i, f, c, o) blocks there unchanged, so
    // slot o holds f, slot f holds c and slot c holds o. As indices into the correct (i, o, f, c):
    int[] take = {0, 2, 3, 1};
    for (int input : new int[] {1, 2, 3}) {
      String name = node.getInput(input);
      replaceInitializer(g, name, t -> permuteBlocks(t, 4, take, input == 3 ? 2 : 1));
    }
    return m.toBuilder().setGraph(g).build();
  }

  /** GRU {@code linear_before_reset} flipped. */
  static OnnxMl.ModelProto gruLinearBeforeResetFlipped(OnnxMl.ModelProto m, String layer) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    int i = nodeIndex(g.build(), layer, "GRU");
    OnnxMl.NodeProto.Builder n = g.getNode(i).toBuilder();
    for (int a = 0; a < n.getAttributeCount(); a++) {
      if (n.getAttribute(a).getName().equals("linear_before_reset")) {
        n.setAttribute(a, n.getAttribute(a).toBuilder().setI(1 - n.getAttribute(a).getI()));
      }
    }
    g.setNode(i, n);
    return m.toBuilder().setGraph(g).build();
  }

  /** The recurrent bias dropped: the second half of every direction's {@code B} (Rb) zeroed. */
  static OnnxMl.ModelProto recurrentBiasDropped(OnnxMl.ModelProto m, String layer, String op) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    OnnxMl.NodeProto node = g.getNode(nodeIndex(g.build(), layer, op));
    replaceInitializer(g, node.getInput(3), t -> {
      float[] v = t.clone();
      int dirs = 1;
      int half = v.length / dirs / 2;
      Arrays.fill(v, half, 2 * half, 0f);
      return v;
    });
    return m.toBuilder().setGraph(g).build();
  }

  /** The backward direction not re-reversed: the ReverseSequence (or Slice) after a go_backwards node bypassed. */
  static OnnxMl.ModelProto backwardNotReReversed(OnnxMl.ModelProto m, String layer) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    int i;
    try {
      i = nodeIndex(g.build(), layer, "ReverseSequence");
    } catch (AssertionError e) {
      i = nodeIndex(g.build(), layer, "Slice");
    }
    OnnxMl.NodeProto rev = g.getNode(i);
    String in = rev.getInput(0);
    String out = rev.getOutput(0);
    g.removeNode(i);
    for (int k = 0; k < g.getNodeCount(); k++) {
      OnnxMl.NodeProto.Builder n = g.getNode(k).toBuilder();
      boolean changed = false;
      for (int j = 0; j < n.getInputCount(); j++) {
        if (n.getInput(j).equals(out)) {
          n.setInput(j, in);
          changed = true;
        }
      }
      if (changed) {
        g.setNode(k, n);
      }
    }
    return m.toBuilder().setGraph(g).build();
  }

  /** The sequence-length mask ignored: the recurrent node's {@code sequence_lens} input left empty. */
  static OnnxMl.ModelProto sequenceLengthsIgnored(OnnxMl.ModelProto m, String layer, String op) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    int i = nodeIndex(g.build(), layer, op);
    g.setNode(i, g.getNode(i).toBuilder().setInput(4, ""));
    return m.toBuilder().setGraph(g).build();
  }

  /** Rewrites a float initializer's values. */
  /** Attention scale missing: the Mul by 1/√key_dim after the score MatMul removed, its input fed straight on. */
  static OnnxMl.ModelProto attentionScaleDropped(OnnxMl.ModelProto m, String layer) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    int scale = -1;
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getName().equals(layer + "/scale")) {
        scale = i;
      }
    }
    if (scale < 0) {
      throw new AssertionError("no scale node in layer " + layer);
    }
    String scaled = g.getNode(scale).getOutput(0);
    String raw = g.getNode(scale).getInput(0);
    g.removeNode(scale);
    for (int i = 0; i < g.getNodeCount(); i++) {
      OnnxMl.NodeProto.Builder n = g.getNodeBuilder(i);
      for (int k = 0; k < n.getInputCount(); k++) {
        if (n.getInput(k).equals(scaled)) {
          n.setInput(k, raw);
        }
      }
    }
    return m.toBuilder().setGraph(g).build();
  }

  /** LayerNorm epsilon changed: the exported LayerNormalization's epsilon attribute replaced. */
  static OnnxMl.ModelProto layerNormEpsilonChanged(OnnxMl.ModelProto m, String layer, float epsilon) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    OnnxMl.NodeProto.Builder n = g.getNodeBuilder(nodeIndex(g.build(), layer, "LayerNormalization"));
    for (int k = 0; k < n.getAttributeCount(); k++) {
      if (n.getAttribute(k).getName().equals("epsilon")) {
        n.setAttribute(k, n.getAttribute(k).toBuilder().setF(epsilon));
      }
    }
    return m.toBuilder().setGraph(g).build();
  }

  static void replaceInitializer(OnnxMl.GraphProto.Builder g, String name, UnaryOperator<float[]> f) {
    for (int i = 0; i < g.getInitializerCount(); i++) {
      OnnxMl.TensorProto t = g.getInitializer(i);
      if (!t.getName().equals(name)) {
        continue;
      }
      ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[raw.remaining() / 4];
      raw.asFloatBuffer().get(v);
      float[] w = f.apply(v);
      ByteBuffer out = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
      out.asFloatBuffer().put(w);
      g.setInitializer(i, t.toBuilder().setRawData(ByteString.copyFrom(out.array())));
      return;
    }
    throw new AssertionError("no initializer " + name);
  }

  /**
   * Permutes gate blocks: the data is {@code [dirs, groups·G·H, …]} flattened; within each group of
   * G blocks, block k of the result is block {@code take[k]} of the input.
   */
  static float[] permuteBlocks(float[] v, int gates, int[] take, int groups) {
    float[] out = new float[v.length];
    int block = v.length / (gates * groups);
    for (int grp = 0; grp < groups; grp++) {
      for (int k = 0; k < gates; k++) {
        System.arraycopy(v, (grp * gates + take[k]) * block, out, (grp * gates + k) * block, block);
      }
    }
    return out;
  }
}
