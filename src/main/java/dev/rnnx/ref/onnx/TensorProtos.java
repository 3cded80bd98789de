package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.rnnx.tensorio.TensorProtoCodec;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * ONNX {@code TensorProto}s as the evaluator's {@link Value}s: the initializers inside a model and
 * {@code .pb} tensor files. The encoding itself is {@link TensorProtoCodec}'s; this class only
 * converts ({@link Values}), except for {@code STRING} tensors, which tensor files cannot hold and
 * which are read and written here.
 */
public final class TensorProtos {

  private TensorProtos() {}

  /**
   * Decodes a tensor.
   *
   * @throws IllegalArgumentException as {@link TensorProtoCodec#decode(TensorProto)} does
   */
  public static Value decode(TensorProto t) {
    if (t.getDataType() == DataType.STRING_CODE) {
      return decodeStrings(t);
    }
    return Values.of(TensorProtoCodec.decode(t));
  }

  /** A {@code STRING} tensor's {@code string_data}, read as UTF-8. */
  static Value decodeStrings(TensorProto t) {
    long[] shape = new long[t.getDimsCount()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = t.getDims(i);
    }
    String[] data = new String[t.getStringDataCount()];
    for (int i = 0; i < data.length; i++) {
      data[i] = t.getStringData(i).toStringUtf8();
    }
    try {
      return Value.ofStrings(shape, data);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tensor '" + t.getName() + "': " + e.getMessage(), e);
    }
  }

  /**
   * Encodes a tensor with {@code raw_data}; floating values are rounded to the tensor's type.
   *
   * @param name the tensor's name (may be empty)
   */
  public static TensorProto encode(Value v, String name) {
    if (v.type() == DataType.STRING) {
      TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.STRING_CODE);
      for (long d : v.shapeRef()) {
        b.addDims(d);
      }
      for (int i = 0; i < v.size(); i++) {
        b.addStringData(com.google.protobuf.ByteString.copyFromUtf8(v.getString(i)));
      }
      return b.build();
    }
    return TensorProtoCodec.encode(Values.toTyped(v), name);
  }

  /**
   * Reads one serialized {@code TensorProto} file.
   *
   * @throws IllegalArgumentException as {@link TensorProtoCodec#read} does, naming the file
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Value read(Path file) {
    return Values.of(TensorProtoCodec.read(file));
  }

  /**
   * Writes one tensor as a serialized {@code TensorProto}, creating parent folders.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, Value v, String name) {
    TensorProtoCodec.write(file, Values.toTyped(v), name);
  }
}
