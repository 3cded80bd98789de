package dev.rnnx.fuzz;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Mutants of the input files {@code predict --input} reads, for a model of one float input
 * {@code [batch, time, 1]}: JSON (shapes, dtypes, data lengths, non-finite and out-of-range
 * numbers, duplicate keys, trailing content, ragged and deep nesting, truncation), {@code .npy}
 * (header dict, shape tuple, dtype, fortran order, header length, truncated or extra data) and
 * {@code .pb} TensorProto (dims, data type, raw data length, byte flips).
 */
final class InputFileMutator {

  private static final List<String> NUMBERS = List.of("0", "-1", "1e3", "18446744073709551619", "9223372036854775807",
      "2147483648", "1.5", "NaN", "Infinity", "-0", "1e309", "\"3\"", "null", "[]", "{}", "true");

  private final Random random;

  InputFileMutator(long seed) {
    this.random = new Random(seed);
  }

  /** A mutated file: its extension ({@code json}, {@code npy}, {@code pb}), bytes and what was changed. */
  record Mutant(String extension, byte[] bytes, String mutation) {}

  Mutant next(String inputName) {
    return switch (random.nextInt(3)) {
      case 0 -> json(inputName);
      case 1 -> npy();
      default -> pb(inputName);
    };
  }

  private Mutant json(String name) {
    int t = 1 + random.nextInt(6);
    String shape = "[1, " + t + ", 1]";
    String dtype = "\"float32\"";
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < t; i++) {
      data.append(i > 0 ? ", " : "").append(0.1 * i);
    }
    String what;
    int how = random.nextInt(12);
    String body;
    switch (how) {
      case 0 -> {
        String n = NUMBERS.get(random.nextInt(NUMBERS.size()));
        shape = "[1, " + n + ", 1]";
        what = "shape axis " + n;
      }
      case 1 -> {
        dtype = List.of("\"int64\"", "\"float64\"", "\"bool\"", "\"string\"", "\"\"", "7", "null").get(random.nextInt(7));
        what = "dtype " + dtype;
      }
      case 2 -> {
        data.append(", 1.0");
        what = "one value too many";
      }
      case 3 -> {
        String n = NUMBERS.get(random.nextInt(NUMBERS.size()));
        data.setLength(0);
        data.append(n);
        for (int i = 1; i < t; i++) {
          data.append(", 0.5");
        }
        what = "value " + n;
      }
      case 4 -> {
        shape = List.of("[]", "[1]", "[1, 1, 1, " + t + "]", "[-1, " + t + ", 1]", "[0, " + t + ", 1]",
            "[4294967296, 4294967296, 1]").get(random.nextInt(6));
        what = "shape " + shape;
      }
      default -> what = null;
    }
    if (what != null) {
      body = "{\"" + name + "\": {\"shape\": " + shape + ", \"dtype\": " + dtype + ", \"data\": [" + data + "]}}";
    } else {
      String nested = "[[" + String.join(", ", java.util.Collections.nCopies(t, "[0.5]")) + "]]";
      switch (how) {
        case 5 -> {
          body = "{\"" + name + "\": " + nested + ", \"" + name + "\": " + nested + "}";
          what = "duplicate key";
        }
        case 6 -> {
          body = "{\"" + name + "\": " + nested + "} trailing";
          what = "trailing content";
        }
        case 7 -> {
          body = "{\"" + name + "\": [[[0.5], [0.5, 0.5]]]}";
          what = "ragged nesting";
        }
        case 8 -> {
          body = "{\"" + name + "\": " + "[".repeat(5000) + "0.5" + "]".repeat(5000) + "}";
          what = "5000-deep nesting";
        }
        case 9 -> {
          String full = "{\"" + name + "\": " + nested + "}";
          body = full.substring(0, random.nextInt(full.length()));
          what = "truncated";
        }
        case 10 -> {
          body = "{\"other\": " + nested + "}";
          what = "unknown input name";
        }
        default -> {
          body = "{\"" + name + "\": " + nested + ", \"lengths\": [" + NUMBERS.get(random.nextInt(NUMBERS.size())) + "]}";
          what = "extra lengths input";
        }
      }
    }
    return new Mutant("json", body.getBytes(StandardCharsets.UTF_8), "json: " + what);
  }

  private Mutant npy() {
    int t = 1 + random.nextInt(6);
    String descr = "<f4";
    String shape = "(1, " + t + ", 1)";
    String fortran = "False";
    int dataBytes = 4 * t;
    String what = "valid";
    switch (random.nextInt(8)) {
      case 0 -> {
        descr = List.of(">f4", "<f8", "|u1", "<i8", "|O", "<c8", "<U3", "").get(random.nextInt(8));
        what = "descr " + descr;
      }
      case 1 -> {
        shape = List.of("()", "(-1, 3, 1)", "(4294967296, 4294967296, 4)", "(1, 18446744073709551619, 1)", "(1,",
            "(0, 3, 1)", "(1, 3, 1, 1, 1, 1, 1, 1, 1)").get(random.nextInt(7));
        what = "shape " + shape;
      }
      case 2 -> {
        fortran = "True";
        what = "fortran order";
      }
      case 3 -> {
        dataBytes = Math.max(0, dataBytes - 1 - random.nextInt(4));
        what = "data truncated";
      }
      case 4 -> {
        dataBytes += 4;
        what = "extra data";
      }
      case 5 -> {
        fortran = "None";
        what = "fortran_order None";
      }
      default -> {
      }
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
    int headerLen = dict.length() + 1;
    int pad = (64 - (10 + headerLen) % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    int declared = header.length();
    if (random.nextInt(10) == 0) {
      declared = random.nextBoolean() ? 0xFFFF : header.length() / 2;
      what = "header length " + declared;
    }
    b.putShort((short) declared).put(header.getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < dataBytes; i++) {
      b.put((byte) random.nextInt(256));
    }
    return new Mutant("npy", b.array(), "npy: " + what);
  }

  private Mutant pb(String name) {
    int t = 1 + random.nextInt(6);
    OnnxMl.TensorProto.Builder p = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(1).addDims(1).addDims(t).addDims(1)
        .setRawData(ByteString.copyFrom(new byte[4 * t]));
    String what;
    switch (random.nextInt(6)) {
      case 0 -> {
        p.setDims(1, new long[] {0, -1, 1L << 40, Long.MAX_VALUE, 3037000500L}[random.nextInt(5)]);
        what = "dims " + p.getDimsList();
      }
      case 1 -> {
        int type = new int[] {0, 7, 8, 11, 10, 16, 99}[random.nextInt(7)];
        p.setDataType(type);
        what = "data_type " + type;
      }
      case 2 -> {
        p.setRawData(ByteString.copyFrom(new byte[random.nextInt(4 * t + 8)]));
        what = "raw_data " + p.getRawData().size() + " bytes";
      }
      case 3 -> {
        p.clearRawData();
        for (int i = 0; i < t + random.nextInt(3) - 1; i++) {
          p.addFloatData(i);
        }
        what = "float_data " + p.getFloatDataCount() + " values";
      }
      case 4 -> {
        p.setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL).addExternalData(
            OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("/dev/zero"));
        what = "external data /dev/zero";
      }
      default -> what = "valid";
    }
    byte[] bytes = p.build().toByteArray();
    if (random.nextInt(4) == 0 && bytes.length > 0) {
      int at = random.nextInt(bytes.length);
      bytes[at] ^= (byte) (1 << random.nextInt(8));
      what += ", byte " + at + " flipped";
    }
    return new Mutant("pb", bytes, "pb: " + what);
  }
}
