package dev.rnnx.djl;

import java.util.Arrays;

/**
 * What a model declares about one of its inputs or outputs, read from the artifact itself before
 * any native call.
 *
 * @param name the input or output name (ONNX value name, or SavedModel signature key)
 * @param dims the declared dimensions, {@code -1} where unknown; {@code null} when even the rank is
 *     unknown
 * @param elementType the element type as the artifact names it (e.g. {@code float32}, {@code int64})
 */
record TensorSignature(String name, long[] dims, String elementType) {

  /** The element type name both readers use for 32-bit floats. */
  static final String FLOAT32 = "float32";

  TensorSignature {
    dims = dims == null ? null : dims.clone();
  }

  @Override
  public long[] dims() {
    return dims == null ? null : dims.clone();
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

  /** The declared shape as text, {@code ?} for unknown dimensions. */
  String shapeString() {
    if (dims == null) {
      return "[unknown rank]";
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(dims[i] < 0 ? "?" : Long.toString(dims[i]));
    }
    return sb.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSignature s
        && name.equals(s.name)
        && Arrays.equals(dims, s.dims)
        && elementType.equals(s.elementType);
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
