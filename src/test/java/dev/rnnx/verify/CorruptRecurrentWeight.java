package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Corrupts one recurrent weight of an ONNX file in place: the element of the first recurrent node's
 * {@code R} initializer that links unit 0's previous state to the second gate block of unit 0 (the
 * output gate, slot {@code o} of an LSTM's {@code i, o, f, c}; a GRU's {@code r} of {@code z, r, h}), plus
 * a delta.
 * The failing run of {@code docs/screenshots/make.sh}: a real trained model whose ONNX Runtime
 * backends depart from the reference at that layer, step and gate.
 */
public final class CorruptRecurrentWeight {

  private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "RNN");

  private CorruptRecurrentWeight() {}

  /**
   * Usage: {@code CorruptRecurrentWeight MODEL.onnx [DELTA]} (delta 0.5 by default); prints what changed.
   *
   * @param args the ONNX file and the optional delta
   * @throws IOException when the file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: CorruptRecurrentWeight MODEL.onnx [DELTA]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    float delta = args.length == 2 ? Float.parseFloat(args[1]) : 0.5f;
    OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
    Files.write(file, corrupt(m, delta).toByteArray());
    System.out.println(describe(m, delta) + " in " + file);
  }

  /** The model with one element of the first recurrent node's {@code R} moved by {@code delta}. */
  static OnnxMl.ModelProto corrupt(OnnxMl.ModelProto m, float delta) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    OnnxMl.NodeProto node = firstRecurrent(g.build());
    int index = elementIndex(node);
    Mutations.replaceInitializer(g, node.getInput(2), v -> {
      float[] w = v.clone();
      w[index] += delta;
      return w;
    });
    return m.toBuilder().setGraph(g).build();
  }

  /**
   * Writes {@code from} to {@code to} with every element of its first recurrent node's {@code R}
   * (the recurrence weights) multiplied by {@code factor}.
   *
   * @return {@code to}
   * @throws IOException when a file cannot be read or written
   */
  public static Path scaleRecurrence(Path from, Path to, float factor) throws IOException {
    OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(from));
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    Mutations.replaceInitializer(g, firstRecurrent(g.build()).getInput(2), v -> {
      float[] w = v.clone();
      for (int i = 0; i < w.length; i++) {
        w[i] *= factor;
      }
      return w;
    });
    Files.write(to, m.toBuilder().setGraph(g).build().toByteArray());
    return to;
  }

  /** What {@link #corrupt} changes, in words. */
  static String describe(OnnxMl.ModelProto m, float delta) {
    OnnxMl.NodeProto node = firstRecurrent(m.getGraph());
    return String.format(Locale.ROOT, "%s node '%s': %s[%d] %+.3f", node.getOpType(), node.getName(), node.getInput(2),
        elementIndex(node), delta);
  }

  /** Row {@code hidden} (the second gate block's unit 0), column 0 of {@code R[0]}, flattened. */
  static int elementIndex(OnnxMl.NodeProto node) {
    long hidden = node.getAttributeList().stream().filter(a -> a.getName().equals("hidden_size")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(node.getName() + " has no hidden_size")).getI();
    return (int) (hidden * hidden);
  }

  private static OnnxMl.NodeProto firstRecurrent(OnnxMl.GraphProto g) {
    return g.getNodeList().stream().filter(n -> RECURRENT.contains(n.getOpType())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the graph has no LSTM, GRU or RNN node"));
  }
}
