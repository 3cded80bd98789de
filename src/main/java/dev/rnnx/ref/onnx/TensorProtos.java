package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.rnnx.tensorio.TensorProtoCodec;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * ONNX {@code TensorProto}s as the evaluator's {@link Value}s: the initializers inside a model and
 * {@code .pb} tensor files. The encoding itself is {@link TensorProtoCodec}'s; this class only
 * converts ({@link Values}).
 */
public final class TensorProtos {

  private TensorProtos() {}

  /**
   * Decodes a tensor.
   *
   * @throws IllegalArgumentException as {@link TensorProtoCodec#decode(TensorProto)} does
   */
  public static Value decode(TensorProto t) {
    return Values.of(TensorProtoCodec.decode(t));
  }

  /**
   * Encodes a tensor with {@code raw_data}; floating values are rounded to the tensor's type.
   *
   * @param name the tensor's name (may be empty)
   */
  public static TensorProto encode(Value v, String name) {
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
