package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.TensorProtos;
import dev.rnnx.ref.onnx.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ModelVariant#FP16}: every float32 initializer of at least {@value #MIN_ELEMENTS} elements
 * whose values float16 can hold (|v| ≤ 65504) is stored as float16 under {@code <name>/fp16} and
 * cast back to float32 by a {@code Cast} node that produces the original name, first in the graph
 * that owns it. Consumers — nodes in control-flow bodies included — are untouched and compute in
 * float32. ONNX Runtime folds the Casts of constants when it loads the model (basic graph
 * optimisations and above; its default is all; measured in {@code ModelVariantsTest}),
 * so the variant runs at float32 speed from a file about half the size.
 *
 * <p>Kept float32: smaller tensors (scalars, scale factors: a Cast node for a few bytes), tensors
 * with values beyond float16's range or non-finite ones (a mask constant of −1e9 would become −∞),
 * and initializers that are also graph inputs (defaults a caller may override).
 */
final class Float16Weights {

  /** The smallest initializer worth storing as float16. */
  static final int MIN_ELEMENTS = 16;

  /** The largest finite float16 value. */
  static final double FLOAT16_MAX = 65504;

  /** What the transformation did. */
  record Summary(int converted, long convertedValues, int kept, long keptValues) {
    String describe() {
      return "float16 storage for " + converted + " initializers (" + convertedValues + " values), cast to float32 on"
          + " load; float32 kept for " + kept + " (" + keptValues + " values: fewer than " + MIN_ELEMENTS
          + " elements, outside float16's range, or overridable graph inputs); every op computes in float32";
    }
  }

  private Float16Weights() {}

  /** The transformed graph and what was done. */
  record Result(OnnxMl.GraphProto graph, Summary summary) {}

  static Result apply(OnnxMl.GraphProto main) {
    GraphScan scan = new GraphScan(main);
    Map<String, Boolean> convert = new HashMap<>();
    int converted = 0;
    int kept = 0;
    long convertedValues = 0;
    long keptValues = 0;
    Map<String, Value> decoded = new HashMap<>();
    for (var e : scan.initializers().entrySet()) {
      OnnxMl.TensorProto t = e.getValue().tensor();
      if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
        continue;
      }
      Value v = TensorProtos.decode(t);
      boolean ok = v.size() >= MIN_ELEMENTS && scan.replaceable(e.getKey()) && fits(v);
      convert.put(e.getKey(), ok);
      if (ok) {
        decoded.put(e.getKey(), v);
        converted++;
        convertedValues += v.size();
      } else {
        kept++;
        keptValues += v.size();
      }
    }
    Map<String, String> halfNames = new HashMap<>();
    Map<String, String> castNames = new HashMap<>();
    convert.forEach((name, ok) -> {
      if (ok) {
        halfNames.put(name, scan.fresh(name + "/fp16"));
        castNames.put(name, scan.fresh(name + "/Cast_float32"));
      }
    });
    OnnxMl.GraphProto graph = scan.rebuild((id, b) -> {
      List<OnnxMl.TensorProto> inits = new ArrayList<>();
      List<OnnxMl.NodeProto> casts = new ArrayList<>();
      for (OnnxMl.TensorProto t : b.getInitializerList()) {
        if (!convert.getOrDefault(t.getName(), false)) {
          inits.add(t);
          continue;
        }
        Value v = decoded.get(t.getName());
        Value half = Value.ofDoubles(DataType.FLOAT16, v.shape(), v.toDoubleArray());
        inits.add(TensorProtos.encode(half, halfNames.get(t.getName())));
        casts.add(OnnxMl.NodeProto.newBuilder().setOpType("Cast").setName(castNames.get(t.getName()))
            .addInput(halfNames.get(t.getName())).addOutput(t.getName())
            .addAttribute(Attributes.integer("to", OnnxMl.TensorProto.DataType.FLOAT_VALUE)).build());
      }
      List<OnnxMl.NodeProto> nodes = new ArrayList<>(casts);
      nodes.addAll(b.getNodeList());
      return b.clearInitializer().addAllInitializer(inits).clearNode().addAllNode(nodes).build();
    });
    return new Result(graph, new Summary(converted, convertedValues, kept, keptValues));
  }

  private static boolean fits(Value v) {
    for (int i = 0; i < v.size(); i++) {
      double x = v.getDouble(i);
      if (!Double.isFinite(x) || Math.abs(x) > FLOAT16_MAX) {
        return false;
      }
    }
    return true;
  }
}
