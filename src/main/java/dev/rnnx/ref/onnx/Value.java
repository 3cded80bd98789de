package dev.rnnx.ref.onnx;

import dev.rnnx.ref.DoubleTensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable ONNX tensor as the reference evaluator holds it: a {@link DataType}, a shape and
 * row-major elements, floating types as {@code double}s and integer and bool types as
 * {@code long}s (see {@link DataType}).
 *
 * <p>A rank-0 tensor (scalar) has an empty shape and one element. Dimensions may be zero.
 *
 * <p>A value may also be one of ONNX's two container types ({@link #kind()}): a sequence of values
 * ({@link #sequence}) or an optional value, empty or holding one ({@link #optional}). Their
 * {@link #type()} is the element type of the tensors they hold (null when unknown or nested); the
 * tensor accessors ({@link #size()}, {@link #shape()}, element reads) refuse them.
 */
public final class Value {

  /** What a value is. */
  public enum Kind {
    /** A tensor. */
    TENSOR,
    /** A sequence of values (ONNX {@code seq}). */
    SEQUENCE,
    /** An optional value, empty or holding one value (ONNX {@code optional}). */
    OPTIONAL
  }

  private final Kind kind;
  private final DataType type;
  private final long[] shape;
  private final double[] doubles;
  private final long[] longs;
  private final List<Value> elements;
  private final String[] strings;

  private Value(DataType type, long[] shape, double[] doubles, long[] longs) {
    this.kind = Kind.TENSOR;
    this.type = type;
    this.shape = shape;
    this.doubles = doubles;
    this.longs = longs;
    this.elements = null;
    this.strings = null;
  }

  private Value(long[] shape, String[] strings) {
    this.kind = Kind.TENSOR;
    this.type = DataType.STRING;
    this.shape = shape;
    this.doubles = null;
    this.longs = null;
    this.elements = null;
    this.strings = strings;
  }

  /** A {@link DataType#STRING} tensor. */
  public static Value ofStrings(long[] shape, String... data) {
    for (String e : data) {
      Objects.requireNonNull(e, "string element");
    }
    return new Value(checkShape(shape, data.length), data.clone());
  }

  /** One element of a string tensor. */
  public String getString(int index) {
    if (strings == null) {
      throw new IllegalStateException("a " + type + " tensor holds no strings");
    }
    return strings[index];
  }

  private Value(Kind kind, DataType elementType, List<Value> elements) {
    this.kind = kind;
    this.type = elementType;
    this.shape = new long[0];
    this.doubles = null;
    this.longs = null;
    this.elements = Collections.unmodifiableList(new java.util.ArrayList<>(elements));
    this.strings = null;
  }

  /**
   * A sequence of values.
   *
   * @param elementType the element type of its tensors; null when not known (an empty sequence of
   *     unknown type) or when it holds containers
   */
  public static Value sequence(DataType elementType, List<Value> elements) {
    for (Value e : elements) {
      Objects.requireNonNull(e, "sequence element");
      if (elementType != null && e.kind == Kind.TENSOR && e.type != elementType) {
        throw new IllegalArgumentException("a sequence of " + elementType + " cannot hold a " + e.type + " tensor");
      }
    }
    return new Value(Kind.SEQUENCE, elementType, elements);
  }

  /** An optional value: empty when {@code content} is null. */
  public static Value optional(DataType elementType, Value content) {
    return new Value(Kind.OPTIONAL, content != null && content.kind == Kind.TENSOR ? content.type : elementType,
        content == null ? List.of() : List.of(content));
  }

  /** Whether this is a tensor, a sequence or an optional. */
  public Kind kind() {
    return kind;
  }

  /** Whether this is a tensor. */
  public boolean isTensor() {
    return kind == Kind.TENSOR;
  }

  /**
   * The elements of a sequence, or the content of an optional (none or one).
   *
   * @throws IllegalStateException on a tensor
   */
  public List<Value> elements() {
    if (elements == null) {
      throw new IllegalStateException("a tensor has no elements list; it is not a sequence or an optional");
    }
    return elements;
  }

  private void requireTensor() {
    if (kind != Kind.TENSOR) {
      throw new IllegalStateException("expected a tensor, got a " + kind.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * A floating tensor; the values are taken as they are (not rounded to the type's precision).
   *
   * @throws IllegalArgumentException when the type is not floating or the element count does not
   *     match the shape
   */
  public static Value ofDoubles(DataType type, long[] shape, double[] data) {
    Objects.requireNonNull(type, "type");
    if (!type.isFloating()) {
      throw new IllegalArgumentException("ofDoubles needs a floating type (FLOAT, DOUBLE, FLOAT16, BFLOAT16), got "
          + type + "; use ofLongs");
    }
    long[] s = checkShape(shape, data.length);
    return new Value(type, s, data.clone(), null);
  }

  /**
   * An integer or bool tensor; each value is wrapped to the type's range (bool: non-zero is true).
   *
   * @throws IllegalArgumentException when the type is floating or the element count does not match
   *     the shape
   */
  public static Value ofLongs(DataType type, long[] shape, long[] data) {
    Objects.requireNonNull(type, "type");
    if (type.isFloating()) {
      throw new IllegalArgumentException("ofLongs needs an integer or bool type, got " + type + "; use ofDoubles");
    }
    long[] s = checkShape(shape, data.length);
    long[] d = new long[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = type.wrap(data[i]);
    }
    return new Value(type, s, null, d);
  }

  /** A FLOAT tensor from float32 values. */
  public static Value ofFloats(long[] shape, float... data) {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return new Value(DataType.FLOAT, checkShape(shape, d.length), d, null);
  }

  /** An INT64 tensor. */
  public static Value ofInt64(long[] shape, long... data) {
    return ofLongs(DataType.INT64, shape, data);
  }

  /** An INT32 tensor. */
  public static Value ofInt32(long[] shape, int... data) {
    long[] d = new long[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return new Value(DataType.INT32, checkShape(shape, d.length), null, d);
  }

  /** A tensor of the given floating type holding a reference-forward tensor's values. */
  public static Value of(DataType type, DoubleTensor t) {
    return ofDoubles(type, t.shape(), t.data());
  }

  /** Wraps arrays the caller gives up (no copy, no wrapping); for kernels in this package. */
  static Value wrapDoubles(DataType type, long[] shape, double[] data) {
    return new Value(type, checkShape(shape, data.length), data, null);
  }

  /** Wraps arrays the caller gives up after wrapping each element to the type's range. */
  static Value wrapLongs(DataType type, long[] shape, long[] data) {
    for (int i = 0; i < data.length; i++) {
      data[i] = type.wrap(data[i]);
    }
    return new Value(type, checkShape(shape, data.length), null, data);
  }

  /** A tensor of {@code type} from doubles, converted as {@code Cast} would for integer and bool types. */
  static Value ofNumbers(DataType type, long[] shape, double[] data) {
    if (type.isFloating()) {
      return wrapDoubles(type, shape, data);
    }
    long[] l = new long[data.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = type.castToLong(data[i]);
    }
    return new Value(type, checkShape(shape, l.length), null, l);
  }

  private static long[] checkShape(long[] shape, int count) {
    Objects.requireNonNull(shape, "shape");
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n != count) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " elements, got "
          + count);
    }
    return shape.clone();
  }

  /** The element type. */
  public DataType type() {
    return type;
  }

  /** A copy of the dimensions. */
  public long[] shape() {
    requireTensor();
    return shape.clone();
  }

  /** The dimensions, not copied: callers in this package must not modify them. */
  long[] shapeRef() {
    return shape;
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** One dimension; negative axes count from the end. */
  public long dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  /** The number of elements. */
  public int size() {
    requireTensor();
    return doubles != null ? doubles.length : strings != null ? strings.length : longs.length;
  }

  /** One element (row-major index) as a double; integer types are converted. */
  public double getDouble(int index) {
    return doubles != null ? doubles[index] : (double) longs[index];
  }

  /**
   * One element (row-major index) as a long; floating values are truncated toward zero.
   */
  public long getLong(int index) {
    return longs != null ? longs[index] : (long) doubles[index];
  }

  /** A copy of all elements as doubles. */
  public double[] toDoubleArray() {
    if (doubles != null) {
      return doubles.clone();
    }
    double[] d = new double[longs.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = longs[i];
    }
    return d;
  }

  /** A copy of all elements as longs (floating values truncated toward zero). */
  public long[] toLongArray() {
    if (longs != null) {
      return longs.clone();
    }
    long[] l = new long[doubles.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = (long) doubles[i];
    }
    return l;
  }

  /** All elements rounded to float32. */
  public float[] toFloatArray() {
    float[] f = new float[size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) getDouble(i);
    }
    return f;
  }

  /** The values as a reference-forward tensor (integers converted to doubles). */
  public DoubleTensor toDoubleTensor() {
    return new DoubleTensor(shape.clone(), toDoubleArray());
  }

  /** The double storage, not copied, or null for integer types; callers must not modify it. */
  double[] doublesRef() {
    return doubles;
  }

  /** The long storage, not copied, or null for floating types; callers must not modify it. */
  long[] longsRef() {
    return longs;
  }

  /** Same type, shape and elements ({@code NaN} equal to itself, as {@link Double#equals} does). */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Value)) {
      return false;
    }
    Value v = (Value) o;
    return kind == v.kind && type == v.type && Arrays.equals(shape, v.shape) && Arrays.equals(doubles, v.doubles)
        && Arrays.equals(longs, v.longs) && Objects.equals(elements, v.elements) && Arrays.equals(strings, v.strings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, type, Arrays.hashCode(shape), Arrays.hashCode(doubles), Arrays.hashCode(longs),
        elements, Arrays.hashCode(strings));
  }

  /** Type, shape and up to the first 8 elements. */
  @Override
  public String toString() {
    if (kind != Kind.TENSOR) {
      return kind.name().toLowerCase(java.util.Locale.ROOT) + elements;
    }
    StringBuilder sb = new StringBuilder(type.name()).append(Arrays.toString(shape)).append(" [");
    int n = Math.min(size(), 8);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ");
      if (doubles != null) {
        sb.append(doubles[i]);
      } else if (strings != null) {
        sb.append('"').append(strings[i]).append('"');
      } else {
        sb.append(longs[i]);
      }
    }
    return sb.append(size() > n ? ", ...]" : "]").toString();
  }
}
