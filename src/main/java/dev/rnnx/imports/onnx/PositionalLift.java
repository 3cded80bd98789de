package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.onnx.LiftedValue.Const;
import dev.rnnx.imports.onnx.LiftedValue.Main;
import dev.rnnx.imports.onnx.LiftedValue.ShapeOf;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.tensorio.TypedTensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * rnnx's {@code positional_encoding} export lifted back: {@code x (· √d) + Reshape(Slice(table
 * [max_length, d], 0, T), [T, d])}. The sequence may first be scaled by a constant (kept as
 * {@link LiftedValue.Scaled} until the addition, which must then be {@code √d}); the added rows are
 * traced back through the {@code Reshape} and the {@code Slice} (start 0 on axis 0) to the constant
 * table, which must hold {@link PositionalEncoding#signal} (as float32) in every cell. The layer has
 * no weights.
 */
final class PositionalLift implements LayerDraft {

  private final int maxLength;
  private final boolean scaleInput;

  private PositionalLift(int maxLength, boolean scaleInput) {
    this.maxLength = maxLength;
    this.scaleInput = scaleInput;
  }

  @Override
  public Layer build(String name) {
    return new PositionalEncoding(name, maxLength, scaleInput);
  }

  @Override
  public Map<String, FloatTensor> weights(String name) {
    return Map.of();
  }

  /** Whether {@code node} may be a step of the export: the input's scaling, or the addition of the rows. */
  static boolean matches(OnnxMl.NodeProto node, LiftedValue a, LiftedValue b) {
    boolean add = node.getOpType().equals("Add");
    return !add && a instanceof Main m && m.rank() == 3 && b instanceof Const c && c.value().size() == 1
        && c.value().type().isFloating()
        || add && (a instanceof Main m2 && m2.rank() == 3 || a instanceof LiftedValue.Scaled) && b instanceof ShapeOf;
  }

  /** The scaled sequence, or the encoded one (a new layer) with the table checked. */
  static LiftedValue lift(OnnxGraph g, OnnxMl.NodeProto node, LiftedValue a, LiftedValue b, List<LayerDraft> drafts,
      List<String> names) {
    if (node.getOpType().equals("Mul")) {
      return new LiftedValue.Scaled((Main) a, (float) ((Const) b).value().toFloat().data()[0]);
    }
    Main x = a instanceof LiftedValue.Scaled s ? s.x() : (Main) a;
    if (x.layers() != drafts.size()) {
      throw g.error(node, "reads the output of an earlier layer; only a chain of layers can be imported");
    }
    TypedTensor table = table(g, node.getInput(1));
    int d = table == null || table.shape().length != 2 ? -1 : (int) table.shape()[1];
    String expected = "; supported: rnnx's positional_encoding, x (· √d) + the first T rows of its sinusoidal table";
    if (d <= 0 || (x.features() > 0 && x.features() != d)) {
      throw g.error(node, "adds a computed value that is not a positional table of the input's width" + expected);
    }
    float[] cells = table.toFloat().data();
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] != (float) PositionalEncoding.signal(i / d, i % d, d)) {
        throw g.error(node, "adds a table whose row " + i / d + ", column " + i % d + " is " + cells[i]
            + ", not the sinusoid " + (float) PositionalEncoding.signal(i / d, i % d, d) + expected);
      }
    }
    boolean scaled = a instanceof LiftedValue.Scaled;
    if (scaled && ((LiftedValue.Scaled) a).factor() != (float) Math.sqrt(d)) {
      throw g.error(node, "scales the input by " + ((LiftedValue.Scaled) a).factor() + " before the positions, not by"
          + " √d = " + (float) Math.sqrt(d) + expected);
    }
    drafts.add(new PositionalLift((int) table.shape()[0], scaled));
    names.add(SequentialAssembly.suggest(node, PositionalEncoding.KIND));
    return new Main(x.flips(), 3, d, false, drafts.size());
  }

  /** The constant table under {@code Reshape(Slice(table, [0], …, [0]), …)}; null when the value is not that. */
  private static TypedTensor table(OnnxGraph g, String value) {
    Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    g.liveNodes().forEach(n -> n.getOutputList().forEach(o -> producer.put(o, n)));
    OnnxMl.NodeProto reshape = producer.get(value);
    OnnxMl.NodeProto slice = reshape != null && reshape.getOpType().equals("Reshape") ? producer.get(reshape.getInput(0)) : null;
    if (slice == null || !slice.getOpType().equals("Slice") || slice.getInputCount() < 4) {
      return null;
    }
    TypedTensor start = TransformerLift.constant(g, slice.getInput(1), producer);
    TypedTensor axes = TransformerLift.constant(g, slice.getInput(3), producer);
    boolean fromZero = start != null && start.longs() != null && start.longs().length == 1 && start.longs()[0] == 0
        && axes != null && axes.longs() != null && axes.longs().length == 1 && axes.longs()[0] == 0;
    TypedTensor table = TransformerLift.constant(g, slice.getInput(0), producer);
    return fromZero && table != null && table.type().isFloating() ? table : null;
  }
}
