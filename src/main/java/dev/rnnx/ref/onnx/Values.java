package dev.rnnx.ref.onnx;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.TypedTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conversions between the evaluator's {@link Value}s and the tensors of the rest of rnnx: rnnx's
 * {@link Tensor}s and the {@link TypedTensor}s that tensor files hold.
 */
public final class Values {

  private Values() {}

  /** The value a typed tensor holds, sharing its arrays (both are immutable by convention). */
  public static Value of(TypedTensor t) {
    DataType type = DataType.of(t.type());
    return type.isFloating() ? Value.wrapDoubles(type, t.shape(), t.doubles())
        : Value.wrapLongs(type, t.shape(), t.longs());
  }

  /**
   * The typed tensor a value is, sharing its arrays (both are immutable by convention).
   *
   * @throws IllegalArgumentException for a sequence, an optional or a STRING tensor
   */
  public static TypedTensor toTyped(Value v) {
    if (!v.isTensor() || v.type() == DataType.STRING) {
      throw new IllegalArgumentException("a " + (v.isTensor() ? "STRING tensor" : v.kind().name().toLowerCase(
          java.util.Locale.ROOT)) + " cannot be held as a numeric tensor");
    }
    return new TypedTensor(v.type().element(), v.shapeRef(), v.doublesRef(), v.longsRef());
  }

  /** A map of typed tensors as values, keeping the order. */
  public static Map<String, Value> of(Map<String, TypedTensor> tensors) {
    Map<String, Value> out = new LinkedHashMap<>();
    tensors.forEach((k, t) -> out.put(k, of(t)));
    return out;
  }

  /** A value of the given ONNX type; integers must fit it. */
  public static Value toValue(Tensor t, DataType type) {
    return of(TypedTensor.of(t, type.element()));
  }

  /** A float32 value or an int64 value, as the tensor is. */
  public static Value toValue(Tensor t) {
    return of(TypedTensor.of(t));
  }

  /** A float32 tensor for floating values, an integer tensor for integer ones. */
  public static Tensor toTensor(Value v) {
    return toTyped(v).toTensor();
  }

  /** Every value as a float32 tensor (integers and booleans converted). */
  public static FloatTensor toFloat(Value v) {
    return toTyped(v).toFloat();
  }
}
