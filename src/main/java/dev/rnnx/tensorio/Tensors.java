package dev.rnnx.tensorio;

import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Conversions between rnnx's tensors and the ONNX evaluator's {@link Value}s. */
public final class Tensors {

  private Tensors() {}

  /** A value of the given ONNX type; integers must fit it. */
  public static Value toValue(Tensor t, DataType type) {
    if (t instanceof FloatTensor f) {
      if (!type.isFloating()) {
        throw new IllegalArgumentException("got float32 values where the model declares " + type);
      }
      double[] d = new double[f.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = f.data()[i];
      }
      return Value.ofDoubles(type, f.shape(), d);
    }
    LongTensor l = (LongTensor) t;
    if (type.isFloating()) {
      throw new IllegalArgumentException("got integers where the model declares " + type);
    }
    return Value.ofLongs(type, l.shape(), l.data());
  }

  /** A float32 value or an int64 value, as the tensor is. */
  public static Value toValue(Tensor t) {
    return toValue(t, t instanceof FloatTensor ? DataType.FLOAT : DataType.INT64);
  }

  /** A float32 tensor for floating values, an integer tensor for integer ones. */
  public static Tensor toTensor(Value v) {
    if (v.type().isFloating()) {
      return new FloatTensor(v.shape(), v.toFloatArray());
    }
    return new LongTensor(v.shape(), v.toLongArray());
  }

  /** Every value as a float32 tensor (integers and booleans converted). */
  public static FloatTensor toFloat(Value v) {
    return new FloatTensor(v.shape(), v.toFloatArray());
  }

  /** A map of values as tensors, keeping the order. */
  public static Map<String, Tensor> toTensors(Map<String, Value> values) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, toTensor(v)));
    return out;
  }
}
