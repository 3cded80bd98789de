package dev.rnnx.djl;

import java.util.Arrays;

/**
 * What a model declares about one of its inputs or outputs, read from the artifact itself before
 * any native call.
 *
 * @param name the input or output name (ONNX value name, or SavedModel signature key)
 * @param dims the declared dimensions, {@code -1} where unknown; {@code null} when even the rank is
 *     unknown
 * @param dimNames the symbolic name of each dimension ({@code batch}, {@code time}; ONNX's
 *     {@code dim_param}), {@code null} where it has none; {@code null} when no dimension is named
 * @param elementType the element type as the artifact names it (e.g. {@code float32}, {@code int64})
 * @param indexLimit for an integer input that indexes a table of the model (ONNX: the indices of a
 *     {@code Gather} on an initializer), the table's row count: values must lie in
 *     {@code [0, indexLimit)}; {@code -1} when none is known
 * @param indexTable the name of that table, or {@code null}
 */
record TensorSignature(String name, long[] dims, String[] dimNames, String elementType, long indexLimit,
    String indexTable) {

  /** The element type name both readers use for 32-bit floats. */
  static final String FLOAT32 = "float32";
  /** The element type name both readers use for 32-bit integers. */
  static final String INT32 = "int32";
  /** The element type name both readers use for 64-bit integers. */
  static final String INT64 = "int64";

  TensorSignature {
    dims = dims == null ? null : dims.clone();
    dimNames = dimNames == null ? null : dimNames.clone();
  }

  /** A signature without dimension names or index bounds. */
  TensorSignature(String name, long[] dims, String elementType) {
    this(name, dims, null, elementType, -1, null);
  }

  /** The same signature, values bounded to {@code [0, limit)} as indices into {@code table}. */
  TensorSignature withIndexLimit(long limit, String table) {
    return new TensorSignature(name, dims, dimNames, elementType, limit, table);
  }

  @Override
  public long[] dims() {
    return dims == null ? null : dims.clone();
  }

  @Override
  public String[] dimNames() {
    return dimNames == null ? null : dimNames.clone();
  }

  /** The symbolic name of one dimension, or {@code null}. */
  String dimName(int axis) {
    return dimNames == null || axis >= dimNames.length ? null : dimNames[axis];
  }

  /** Whether the rank is declared. */
  boolean rankKnown() {
    return dims != null;
  }

  /** The declared rank; only when {@link #rankKnown()}. */
  int rank() {
    return dims.length;
  }

  /** Whether the element type is 32-bit float. */
  boolean isFloat32() {
    return FLOAT32.equals(elementType);
  }

  /** Whether the element type is a 32- or 64-bit integer, which {@code LongTensor} values feed. */
  boolean isInteger() {
    return INT32.equals(elementType) || INT64.equals(elementType);
  }

  /** The declared shape as text, {@code ?} for unknown dimensions. */
  String shapeString() {
    if (dims == null) {
      return "[unknown rank]";
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      String named = dimName(i);
      sb.append(i == 0 ? "" : ", ").append(dims[i] >= 0 ? Long.toString(dims[i]) : named != null ? named : "?");
    }
    return sb.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSignature s
        && name.equals(s.name)
        && Arrays.equals(dims, s.dims)
        && Arrays.equals(dimNames, s.dimNames)
        && elementType.equals(s.elementType)
        && indexLimit == s.indexLimit;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return name + ":" + elementType + shapeString();
  }
}
