package dev.rnnx.tensorio;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy's {@code .npy} files (format versions 1–3, C order): float32 and float64 become
 * {@link FloatTensor}s, signed and unsigned integers and booleans {@link LongTensor}s.
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * Reads one file.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static Tensor read(Path file) {
    return read(TensorFileBytes.read(file), file.toString());
  }

  /**
   * Reads the bytes of one {@code .npy} file (an entry of a {@code .npz} archive), named
   * {@code file} in messages.
   *
   * @throws IllegalArgumentException naming {@code file} and what is wrong with the bytes
   */
  public static Tensor read(byte[] b, String file) {
    if (b.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(b, 6), MAGIC)) {
      throw new IllegalArgumentException(file + ": is not a .npy file (no \\x93NUMPY magic)");
    }
    int major = b[6];
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(bb.getShort(8));
      start = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) {
        throw new IllegalArgumentException(file + ": truncated .npy header");
      }
      headerLen = bb.getInt(8);
      start = 12;
      if (headerLen < 0) {
        throw new IllegalArgumentException(file + ": .npy header length " + Integer.toUnsignedLong(headerLen)
            + " exceeds the file's " + b.length + " bytes");
      }
    } else {
      throw new IllegalArgumentException(file + ": .npy format version " + major + " is not supported (1, 2 or 3)");
    }
    if ((long) start + headerLen > b.length) {
      throw new IllegalArgumentException(file + ": truncated .npy header (" + b.length + " bytes)");
    }
    String header = new String(b, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IllegalArgumentException(file + ": malformed .npy header " + header.strip());
    }
    if (f.group(1).equals("True")) {
      throw new IllegalArgumentException(file + ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : s.group(1).split(",")) {
      if (!part.isBlank()) {
        if (!part.strip().matches("\\d{1,18}")) {
          throw new IllegalArgumentException(file + ": .npy shape (" + s.group(1).strip() + ") has dimension '"
              + part.strip() + "', expected non-negative integers of at most 18 digits");
        }
        dims.add(Long.parseLong(part.strip()));
      }
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long n = InputFiles.elements(file, shape);
    String descr = d.group(1);
    if (descr.length() < 2) {
      throw new IllegalArgumentException(file + ": dtype '" + descr + "' is not supported (float32, float64,"
          + " integers, bool)");
    }
    char order = descr.charAt(0);
    String kind = descr.substring(1);
    if (order == '>') {
      bb.order(ByteOrder.BIG_ENDIAN);
    }
    int width = switch (kind) {
      case "f4", "i4", "u4" -> 4;
      case "f8", "i8", "u8" -> 8;
      case "i2", "u2" -> 2;
      case "i1", "u1", "b1" -> 1;
      default -> throw new IllegalArgumentException(file + ": dtype '" + descr + "' is not supported (float32, float64,"
          + " integers, bool)");
    };
    int data = start + headerLen;
    if ((long) data + n * width != b.length) {
      throw new IllegalArgumentException(file + ": holds " + (b.length - data) + " data bytes, but shape "
          + java.util.Arrays.toString(shape) + " of " + descr + " needs " + n * width + " (truncated?)");
    }
    int count = Math.toIntExact(n);
    if (kind.startsWith("f")) {
      float[] v = new float[count];
      for (int i = 0; i < count; i++) {
        v[i] = width == 4 ? bb.getFloat(data + 4 * i) : (float) bb.getDouble(data + 8 * i);
      }
      return new FloatTensor(shape, v);
    }
    long[] v = new long[count];
    for (int i = 0; i < count; i++) {
      int at = data + width * i;
      v[i] = switch (kind) {
        case "i8", "u8" -> bb.getLong(at);
        case "i4" -> bb.getInt(at);
        case "u4" -> Integer.toUnsignedLong(bb.getInt(at));
        case "i2" -> bb.getShort(at);
        case "u2" -> Short.toUnsignedInt(bb.getShort(at));
        case "i1" -> b[at];
        default -> Byte.toUnsignedInt(b[at]);
      };
    }
    return new LongTensor(shape, v);
  }
}
