package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What a runtime assumes of a stored tensor (an initializer or a {@code Constant}'s value): a
 * known element type, no negative axis, and exactly as many stored values as its shape holds,
 * whether in {@code raw_data} (bytes) or in the typed field of its element type. Tensors stored as
 * external data are left to the runtime.
 */
final class InitializerRule {

  private InitializerRule() {}

  /** Refuses a stored tensor that does not hold what its header declares. */
  static void check(String source, String owner, OnnxMl.TensorProto t) {
    String where = source + ": " + owner + " '" + t.getName() + "'";
    int type = t.getDataType();
    if (type <= 0 || OnnxMl.TensorProto.DataType.forNumber(type) == null) {
      throw new KernelAssumptionException(where + ": expected a known element type, got data_type " + type);
    }
    long n = 1;
    for (long d : t.getDimsList()) {
      if (d < 0) {
        throw new KernelAssumptionException(where + ": expected no negative axis, got dims " + t.getDimsList());
      }
      n = d == 0 || n == 0 ? 0 : Math.multiplyHigh(n, d) != 0 || n * d < 0 ? -1 : n * d;
      if (n < 0) {
        throw new KernelAssumptionException(where + ": expected dims whose product fits 64 bits, got " + t.getDimsList());
      }
    }
    if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || type == 8) {
      return; // external data: the runtime reads and checks it; strings: counted below
    }
    long bytes = elementBits(type);
    long expectedRaw = (n * bytes + 7) / 8;
    long stored;
    String field;
    long expected;
    if (t.hasRawData()) {
      stored = t.getRawData().size();
      field = "raw_data bytes";
      expected = expectedRaw;
    } else {
      field = typedField(type);
      stored = switch (field) {
        case "float_data" -> t.getFloatDataCount();
        case "int64_data" -> t.getInt64DataCount();
        case "double_data" -> t.getDoubleDataCount();
        case "uint64_data" -> t.getUint64DataCount();
        default -> t.getInt32DataCount();
      };
      boolean complex = type == 14 || type == 15;
      boolean packed4 = type == 21 || type == 22 || type == 23;
      expected = complex ? 2 * n : packed4 ? (n + 1) / 2 : n;
      field = field + " values";
    }
    if (stored != expected) {
      throw new KernelAssumptionException(where + " (" + OnnxInterface.typeName(type) + " " + t.getDimsList() + "): expected "
          + expected + " " + field + ", got " + stored);
    }
  }

  /** The values of an int64 tensor stored inline, or {@code null} when stored otherwise. */
  static List<Long> longs(OnnxMl.TensorProto t) {
    if (t.hasRawData()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      List<Long> out = new ArrayList<>();
      while (b.remaining() >= 8) {
        out.add(b.getLong());
      }
      return out;
    }
    return t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL ? null : t.getInt64DataList();
  }

  private static long elementBits(int type) {
    return switch (type) {
      case 7, 11, 13, 14 -> type == 14 ? 64 : 64;
      case 15 -> 128;
      case 1, 6, 12 -> 32;
      case 4, 5, 10, 16 -> 16;
      case 21, 22, 23 -> 4;
      default -> 8;
    };
  }

  private static String typedField(int type) {
    return switch (type) {
      case 1, 14 -> "float_data";
      case 7 -> "int64_data";
      case 11, 15 -> "double_data";
      case 12, 13 -> "uint64_data";
      default -> "int32_data";
    };
  }
}
