package dev.rnnx.tensorio;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes ONNX {@code TensorProto}s: the initializers inside a model and the
 * {@code test_data_set_N/input_K.pb} / {@code output_K.pb} files of ONNX's test layout.
 *
 * <p>Decoding accepts both {@code raw_data} (little-endian) and the typed repeated fields
 * ({@code float_data}, {@code int32_data} — which also carries bool, the small integers and the
 * 16-bit float bit patterns —, {@code int64_data}, {@code double_data}, {@code uint64_data}).
 * Encoding always writes {@code raw_data}, rounding floating values to the tensor's type.
 * Strings, complex numbers, float8/int4, segments and external data are not supported and are
 * rejected with an {@link IllegalArgumentException}.
 */
public final class TensorProtoCodec {

  private TensorProtoCodec() {}

  /**
   * Decodes a tensor.
   *
   * @throws IllegalArgumentException when the element type is unsupported, the data is stored
   *     externally, or the number of elements does not match the dimensions; the message names the
   *     tensor
   */
  public static TypedTensor decode(TensorProto t) {
    String what = "tensor '" + t.getName() + "'";
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException(what + " stores its data externally, which is not supported");
    }
    if (t.hasSegment()) {
      throw new IllegalArgumentException(what + " is segmented, which is not supported");
    }
    ElementType type;
    try {
      type = ElementType.fromOnnx(t.getDataType());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
    long[] shape = new long[t.getDimsCount()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = t.getDims(i);
      if (shape[i] < 0) {
        throw new IllegalArgumentException(what + " has a negative dimension: " + t.getDimsList());
      }
    }
    int n = (int) InputFiles.elements(what, shape);
    if (t.hasRawData()) {
      return decodeRaw(what, type, shape, n, t.getRawData());
    }
    switch (type) {
      case FLOAT: {
        checkCount(what, n, t.getFloatDataCount(), "float_data");
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
          d[i] = t.getFloatData(i);
        }
        return TypedTensor.ofDoubles(type, shape, d);
      }
      case DOUBLE: {
        checkCount(what, n, t.getDoubleDataCount(), "double_data");
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
          d[i] = t.getDoubleData(i);
        }
        return TypedTensor.ofDoubles(type, shape, d);
      }
      case FLOAT16:
      case BFLOAT16: {
        checkCount(what, n, t.getInt32DataCount(), "int32_data");
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
          int bits = t.getInt32Data(i) & 0xFFFF;
          d[i] = type == ElementType.FLOAT16 ? HalfFloats.halfToDouble(bits) : HalfFloats.bfloat16ToDouble(bits);
        }
        return TypedTensor.ofDoubles(type, shape, d);
      }
      case INT64: {
        checkCount(what, n, t.getInt64DataCount(), "int64_data");
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = t.getInt64Data(i);
        }
        return TypedTensor.ofLongs(type, shape, l);
      }
      case UINT32:
      case UINT64: {
        checkCount(what, n, t.getUint64DataCount(), "uint64_data");
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = t.getUint64Data(i);
        }
        return TypedTensor.ofLongs(type, shape, l);
      }
      default: { // INT32, INT16, INT8, UINT16, UINT8, BOOL
        checkCount(what, n, t.getInt32DataCount(), "int32_data");
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = t.getInt32Data(i);
        }
        return TypedTensor.ofLongs(type, shape, l);
      }
    }
  }

  private static void checkCount(String what, int expected, int actual, String field) {
    if (expected != actual) {
      throw new IllegalArgumentException(what + " needs " + expected + " elements for its dimensions, has " + actual
          + " in " + field);
    }
  }

  private static TypedTensor decodeRaw(String what, ElementType type, long[] shape, int n, ByteString raw) {
    long expected = (long) n * type.byteSize();
    if (raw.size() != expected) {
      throw new IllegalArgumentException(what + " of type " + type + " and shape " + Arrays.toString(shape) + " needs "
          + expected + " bytes of raw_data, has " + raw.size() + " (truncated or malformed?)");
    }
    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (type.isFloating()) {
      double[] d = new double[n];
      for (int i = 0; i < n; i++) {
        switch (type) {
          case FLOAT:
            d[i] = b.getFloat();
            break;
          case DOUBLE:
            d[i] = b.getDouble();
            break;
          case FLOAT16:
            d[i] = HalfFloats.halfToDouble(b.getShort() & 0xFFFF);
            break;
          default:
            d[i] = HalfFloats.bfloat16ToDouble(b.getShort() & 0xFFFF);
            break;
        }
      }
      return TypedTensor.ofDoubles(type, shape, d);
    }
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      switch (type.byteSize()) {
        case 1:
          l[i] = b.get();
          break;
        case 2:
          l[i] = b.getShort();
          break;
        case 4:
          l[i] = b.getInt();
          break;
        default:
          l[i] = b.getLong();
          break;
      }
    }
    return TypedTensor.ofLongs(type, shape, l); // ofLongs() re-reads unsigned types as unsigned
  }

  /**
   * Encodes a tensor with {@code raw_data}; floating values are rounded to the tensor's type.
   *
   * @param name the tensor's name (may be empty)
   */
  public static TensorProto encode(TypedTensor v, String name) {
    ElementType type = v.type();
    int n = v.size();
    double[] d = v.doubles();
    long[] l = v.longs();
    ByteBuffer b = ByteBuffer.allocate(n * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      switch (type) {
        case FLOAT:
          b.putFloat((float) d[i]);
          break;
        case DOUBLE:
          b.putDouble(d[i]);
          break;
        case FLOAT16:
          b.putShort((short) HalfFloats.doubleToHalf(d[i]));
          break;
        case BFLOAT16:
          b.putShort((short) HalfFloats.doubleToBfloat16(d[i]));
          break;
        default:
          long x = l[i];
          switch (type.byteSize()) {
            case 1:
              b.put((byte) x);
              break;
            case 2:
              b.putShort((short) x);
              break;
            case 4:
              b.putInt((int) x);
              break;
            default:
              b.putLong(x);
              break;
          }
      }
    }
    b.flip();
    TensorProto.Builder t = TensorProto.newBuilder().setDataType(type.onnxCode()).setRawData(ByteString.copyFrom(b));
    for (long dim : v.shape()) {
      t.addDims(dim);
    }
    if (name != null && !name.isEmpty()) {
      t.setName(name);
    }
    return t.build();
  }

  /**
   * Reads one serialized {@code TensorProto} file, such as {@code test_data_set_0/input_0.pb}.
   *
   * @throws IllegalArgumentException when the file is not a valid tensor (truncated, malformed,
   *     unsupported type, element count mismatch); the message names the file
   * @throws UncheckedIOException when the file cannot be read
   */
  public static TypedTensor read(Path file) {
    return decode(readProto(file), file);
  }

  /** Reads one serialized {@code TensorProto} file without decoding it; see {@link #read}. */
  public static TensorProto readProto(Path file) {
    byte[] bytes = TensorFileBytes.read(file);
    try {
      return TensorProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("file " + file + " is not a valid TensorProto (truncated or malformed?): "
          + e.getMessage(), e);
    }
  }

  /**
   * Decodes a tensor read from a file.
   *
   * @throws IllegalArgumentException as {@link #decode(TensorProto)} does, the message naming the file
   */
  public static TypedTensor decode(TensorProto t, Path file) {
    try {
      return decode(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes one tensor as a serialized {@code TensorProto}, creating parent folders.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, TypedTensor v, String name) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, encode(v, name).toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tensor file " + file, e);
    }
  }
}
