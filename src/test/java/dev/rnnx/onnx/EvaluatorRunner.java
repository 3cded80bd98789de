package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an exported model on the pure-Java reference evaluator ({@link OnnxEvaluator}, double
 * precision), which supports every op the exporter emits ({@code OpsetCoverageTest}).
 */
final class EvaluatorRunner {

  private EvaluatorRunner() {}

  /** Runs the model on named inputs; returns every graph output by name, in double precision. */
  static Map<String, KerasOracle.Tensor> run(OnnxMl.ModelProto model, Map<String, ? extends Tensor> inputs) {
    Map<String, Integer> types = new HashMap<>();
    model.getGraph().getInputList().forEach(v -> types.put(v.getName(), v.getType().getTensorType().getElemType()));
    Map<String, Value> feeds = new LinkedHashMap<>();
    inputs.forEach((name, t) -> feeds.put(name, toValue(t, types.get(name))));
    Map<String, KerasOracle.Tensor> result = new LinkedHashMap<>();
    new OnnxEvaluator(model).run(feeds).forEach((name, v) -> result.put(name, new KerasOracle.Tensor(v.shape(), v.toDoubleArray())));
    return result;
  }

  private static Value toValue(Tensor t, Integer onnxType) {
    if (t instanceof FloatTensor f) {
      return Value.ofFloats(f.shape(), f.data());
    }
    LongTensor l = (LongTensor) t;
    return onnxType != null && onnxType == OnnxMl.TensorProto.DataType.INT32_VALUE
        ? Value.ofInt32(l.shape(), l.toIntArray())
        : Value.ofInt64(l.shape(), l.data());
  }
}
