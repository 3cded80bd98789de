package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The check of models the bundled ONNX checker cannot read (opset 23, IR 11): the model is
 * prepared in rnnx's reference evaluator ({@link OnnxEvaluator} — every op must be one it knows at
 * the model's opset, every name defined, Loop bodies included) and run once on the smallest valid
 * inputs: every symbolic dimension 1, float inputs 0, int64 inputs (token ids, {@code k}) 0, int32
 * inputs (lengths) 1. A shape or type error surfaces there as it would in a runtime.
 */
final class ReferenceCheck {

  private ReferenceCheck() {}

  /**
   * @throws OnnxCheckException with the evaluator's message
   */
  static void check(OnnxMl.ModelProto model) {
    try {
      OnnxEvaluator evaluator = new OnnxEvaluator(model);
      Map<String, Value> feeds = new LinkedHashMap<>();
      for (OnnxMl.ValueInfoProto in : model.getGraph().getInputList()) {
        if (evaluator.inputNames().contains(in.getName())) {
          feeds.put(in.getName(), smallest(in));
        }
      }
      evaluator.run(feeds);
    } catch (RuntimeException e) {
      throw new OnnxCheckException("the reference evaluator rejects the model: " + e.getMessage());
    }
  }

  private static Value smallest(OnnxMl.ValueInfoProto info) {
    OnnxMl.TypeProto.Tensor t = info.getType().getTensorType();
    long[] shape = new long[t.getShape().getDimCount()];
    int n = 1;
    for (int i = 0; i < shape.length; i++) {
      OnnxMl.TensorShapeProto.Dimension d = t.getShape().getDim(i);
      shape[i] = d.hasDimValue() ? d.getDimValue() : 1;
      n *= (int) shape[i];
    }
    DataType type = DataType.fromOnnx(t.getElemType());
    if (type.isFloating()) {
      return Value.ofDoubles(type, shape, new double[n]);
    }
    long[] values = new long[n];
    java.util.Arrays.fill(values, type == DataType.INT32 ? 1 : 0);
    return Value.ofLongs(type, shape, values);
  }
}
