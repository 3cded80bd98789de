package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.Shape;

/**
 * Tensor descriptions ({@code ValueInfoProto}) for graph inputs and outputs and for the inputs and
 * outputs of a Loop body: element type and named or fixed dimensions, and the ONNX element type of
 * an rnnx {@link DType}.
 */
final class ValueInfos {

  private ValueInfos() {}

  /**
   * A tensor description with the given dimension names: a {@code String} entry is a symbolic
   * dimension, an {@code Integer} a fixed size; a null {@code dims} leaves the shape unknown.
   */
  static OnnxMl.ValueInfoProto valueInfo(String name, DType dtype, Object... dims) {
    return valueInfo(name, onnxType(dtype), dims);
  }

  /** A bool tensor description (see {@link #valueInfo(String, DType, Object...)}), for body inputs and outputs. */
  static OnnxMl.ValueInfoProto boolInfo(String name, Object... dims) {
    return valueInfo(name, OnnxMl.TensorProto.DataType.BOOL, dims);
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
    OnnxMl.TypeProto.Tensor.Builder tensor = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
    if (dims != null) {
      OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
      for (Object d : dims) {
        OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
        if (d instanceof String symbol) {
          dim.setDimParam(symbol);
        } else {
          dim.setDimValue(((Number) d).longValue());
        }
        shape.addDim(dim);
      }
      tensor.setShape(shape);
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name)
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tensor)).build();
  }

  /** A float tensor's graph input/output description, with symbolic {@code batch} and {@code time} dims. */
  static OnnxMl.ValueInfoProto valueInfo(String name, Shape shape) {
    return valueInfo(name, shape, DType.FLOAT32);
  }

  /**
   * A tensor's graph input/output description. Dynamic dimensions get symbolic names by position:
   * {@code batch} first, {@code time} second, {@code dimN} after.
   */
  static OnnxMl.ValueInfoProto valueInfo(String name, Shape shape, DType dtype) {
    OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
    int[] d = shape.dims();
    for (int i = 0; i < d.length; i++) {
      OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
      if (d[i] == Shape.DYNAMIC) {
        dim.setDimParam(i == 0 ? "batch" : i == 1 ? "time" : "dim" + i);
      } else {
        dim.setDimValue(d[i]);
      }
      dims.addDim(dim);
    }
    OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(onnxType(dtype).getNumber())
            .setShape(dims))
        .build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }

  /** The ONNX element type of an rnnx dtype. */
  static OnnxMl.TensorProto.DataType onnxType(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> OnnxMl.TensorProto.DataType.FLOAT;
      case INT32 -> OnnxMl.TensorProto.DataType.INT32;
      case INT64 -> OnnxMl.TensorProto.DataType.INT64;
    };
  }
}
