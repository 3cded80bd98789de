package dev.rnnx.tensorio;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tensor as a {@code TensorProto} file holds it: an ONNX {@link ElementType}, a shape and
 * row-major elements, floating types as {@code double}s ({@link #doubles()}) and integer and bool
 * types as {@code long}s in the type's range ({@link #longs()}); the other array is null.
 * Immutable by convention: callers must not modify the arrays.
 *
 * @param type the element type
 * @param shape the dimensions (empty for a scalar)
 * @param doubles the elements of a floating type, else null
 * @param longs the elements of an integer or bool type, else null
 */
public record TypedTensor(ElementType type, long[] shape, double[] doubles, long[] longs) {

  /**
   * Checks that exactly the array the type needs is given, that it fills the shape and that integers
   * lie in the type's range.
   */
  public TypedTensor {
    Objects.requireNonNull(type, "type");
    shape = shape.clone();
    if (type.isFloating() ? doubles == null || longs != null : longs == null || doubles != null) {
      throw new IllegalArgumentException(type + " holds its elements as " + (type.isFloating() ? "doubles" : "longs"));
    }
    Tensor.elements(shape, type.isFloating() ? doubles.length : longs.length);
    for (int i = 0; longs != null && i < longs.length; i++) {
      if (type.wrap(longs[i]) != longs[i]) {
        throw new IllegalArgumentException("value " + longs[i] + " at flat index " + i + " is outside " + type);
      }
    }
  }

  /** A floating tensor taking the array as it is (no copy, no rounding). */
  public static TypedTensor ofDoubles(ElementType type, long[] shape, double[] data) {
    return new TypedTensor(type, shape, data, null);
  }

  /** An integer or bool tensor taking the array after wrapping each element to the type's range. */
  public static TypedTensor ofLongs(ElementType type, long[] shape, long[] data) {
    for (int i = 0; i < data.length; i++) {
      data[i] = type.wrap(data[i]);
    }
    return new TypedTensor(type, shape, null, data);
  }

  /**
   * A tensor of the given type holding an rnnx tensor's values.
   *
   * @throws IllegalArgumentException when float values are given for an integer type or integers
   *     for a floating one
   */
  public static TypedTensor of(Tensor t, ElementType type) {
    if (t instanceof FloatTensor f) {
      if (!type.isFloating()) {
        throw new IllegalArgumentException("got float32 values where the model declares " + type);
      }
      double[] d = new double[f.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = f.data()[i];
      }
      return ofDoubles(type, f.shape(), d);
    }
    if (type.isFloating()) {
      throw new IllegalArgumentException("got integers where the model declares " + type);
    }
    return ofLongs(type, t.shape(), ((LongTensor) t).data().clone());
  }

  /** A {@link ElementType#FLOAT} tensor for a float tensor, an {@link ElementType#INT64} one for integers. */
  public static TypedTensor of(Tensor t) {
    return of(t, t instanceof FloatTensor ? ElementType.FLOAT : ElementType.INT64);
  }

  /** The dimensions, copied. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements. */
  public int size() {
    return doubles != null ? doubles.length : longs.length;
  }

  /** Every element rounded to float32, integers and booleans converted. */
  public FloatTensor toFloat() {
    float[] f = new float[size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (doubles != null ? doubles[i] : (double) longs[i]);
    }
    return new FloatTensor(shape, f);
  }

  /** A float32 tensor for a floating type, an integer tensor for integer and bool types. */
  public Tensor toTensor() {
    return type.isFloating() ? toFloat() : new LongTensor(shape, longs.clone());
  }

  /** A map of rnnx tensors as typed tensors ({@link #of(Tensor)}), keeping the order. */
  public static Map<String, TypedTensor> ofAll(Map<String, ? extends Tensor> tensors) {
    Map<String, TypedTensor> out = new LinkedHashMap<>();
    tensors.forEach((k, v) -> out.put(k, of(v)));
    return out;
  }

  /** A map of typed tensors as rnnx tensors ({@link #toTensor}), keeping the order. */
  public static Map<String, Tensor> toTensors(Map<String, TypedTensor> tensors) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach((k, v) -> out.put(k, v.toTensor()));
    return out;
  }

  /** Same type, shape and elements ({@code NaN} equal to itself). */
  @Override
  public boolean equals(Object o) {
    return o instanceof TypedTensor t && type == t.type && Arrays.equals(shape, t.shape)
        && Arrays.equals(doubles, t.doubles) && Arrays.equals(longs, t.longs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(shape), Arrays.hashCode(doubles), Arrays.hashCode(longs));
  }

  /** Type and shape. */
  @Override
  public String toString() {
    return type + Arrays.toString(shape);
  }
}
