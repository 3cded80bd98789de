package dev.rnnx.tensorio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.SourcedInputs;
import dev.rnnx.spec.StrictParsing;
import dev.rnnx.spec.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Inputs a user supplies in a folder ({@code rnnx verify --inputs DIR}), each case one of:
 *
 * <ul>
 *   <li>a {@code test_data_set_N/} folder in ONNX's layout, {@code input_K.pb} files each holding
 *       one {@code TensorProto} named after its input (its {@code output_K.pb} files, if any, are
 *       ignored: the reference computes the outputs);
 *   <li>a folder of {@code <input name>.npy} files (NumPy);
 *   <li>a {@code .json} file: an object mapping each input name to either a nested array or
 *       {@code {"shape": [..], "data": [..], "dtype": "float32" | "int64" | "int32"}}; integers in
 *       a nested array make an integer tensor, any fraction or exponent a float32 one.
 * </ul>
 *
 * <p>JSON is read strictly ({@link StrictParsing}: no key twice, nothing after the value), every
 * integer must fit its dtype (int64 by default) and every float float32, and a shape's element
 * count ({@code "shape"}, a {@code .npy} header, {@code .pb} dims) is checked without wrapping and
 * against what the file holds before anything is allocated.
 *
 * <p>{@code DIR} itself may be one case ({@code input_K.pb} or {@code .npy} files directly in it),
 * or hold several cases as sub-folders and {@code .json} files, taken in name order. Every tensor
 * remembers its file ({@link SourcedInputs}), so that a bad input is refused naming it.
 */
public final class InputFiles {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long[] INT64 = {Long.MIN_VALUE, Long.MAX_VALUE};
  private static final Map<String, long[]> INTEGER_RANGES = integerRanges();
  private static final List<String> FLOAT_TYPES = List.of("float16", "float32", "float64");

  private InputFiles() {}

  /**
   * Reads every case in a folder.
   *
   * @throws IllegalArgumentException naming the file when a folder holds no inputs or a file is
   *     missing, truncated or malformed
   */
  public static List<InputCase> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("inputs folder " + dir + " does not exist or is not a folder, expected"
          + " test_data_set_N/ folders, .npy files or .json files");
    }
    List<InputCase> cases = new ArrayList<>();
    if (Files.exists(dir.resolve("input_0.pb")) || hasNpy(dir)) {
      cases.add(readCase(dir, dir.getFileName().toString()));
      return cases;
    }
    for (Path p : list(dir)) {
      String name = p.getFileName().toString();
      if (Files.isDirectory(p) && (Files.exists(p.resolve("input_0.pb")) || hasNpy(p))) {
        cases.add(readCase(p, name));
      } else if (Files.isRegularFile(p) && name.endsWith(".json")) {
        cases.add(new InputCase(name.substring(0, name.length() - 5), SourcedInputs.from(p.toString(), readJson(p))));
      }
    }
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("inputs folder " + dir + " holds no inputs: expected test_data_set_N/ folders"
          + " with input_K.pb files, folders of <input>.npy files, or .json files");
    }
    return cases;
  }

  /**
   * Reads one file of inputs ({@code rnnx predict --input FILE}): a {@code .json} file as above,
   * every input by name; a {@code .npy} file or a {@code .pb} file holding one {@code TensorProto},
   * one tensor named after its stored name (a {@code .pb}), else after the file name without its
   * extension.
   *
   * @throws IllegalArgumentException naming the file when it is missing, of another kind, truncated
   *     or malformed
   */
  public static SourcedInputs readFile(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("input file " + file + " does not exist or is not a file, expected a .json,"
          + " .npy or .pb (TensorProto) file");
    }
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    if (name.endsWith(".json")) {
      return SourcedInputs.from(file.toString(), readJson(file));
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    if (name.endsWith(".npy")) {
      inputs.put(stem, Npy.read(file));
    } else if (name.endsWith(".pb")) {
      var proto = TensorProtoCodec.readProto(file);
      inputs.put(proto.getName().isEmpty() ? stem : proto.getName(), TensorProtoCodec.decode(proto, file).toTensor());
    } else {
      throw new IllegalArgumentException("input file " + file + " is neither .json, .npy nor .pb (TensorProto)");
    }
    return SourcedInputs.from(file.toString(), inputs);
  }

  /**
   * Tensors as the JSON object {@link #readFile} reads back: each name mapped to
   * {@code {"shape": [..], "dtype": "float32" | "int64", "data": [..]}}.
   */
  public static String toJson(Map<String, ? extends Tensor> tensors) {
    var root = JSON.createObjectNode();
    tensors.forEach((name, t) -> {
      var node = root.putObject(name);
      var shape = node.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      var data = node.put("dtype", t instanceof FloatTensor ? "float32" : "int64").putArray("data");
      if (t instanceof FloatTensor f) {
        for (float v : f.data()) {
          data.add(v);
        }
      } else {
        for (long v : ((LongTensor) t).data()) {
          data.add(v);
        }
      }
    });
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static InputCase readCase(Path dir, String name) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    if (Files.exists(dir.resolve("input_0.pb"))) {
      inputs.putAll(TypedTensor.toTensors(TestDataSet.read(dir).inputs()));
    } else {
      for (Path p : list(dir)) {
        String file = p.getFileName().toString();
        if (file.endsWith(".npy")) {
          inputs.put(file.substring(0, file.length() - 4), Npy.read(p));
          sources.put(file.substring(0, file.length() - 4), p.toString());
        }
      }
    }
    return new InputCase(name, new SourcedInputs(inputs, sources, dir.toString()));
  }

  private static Map<String, Tensor> readJson(Path file) {
    TensorFileBytes.check(file);
    JsonNode root = StrictParsing.readJson(file);
    if (!root.isObject()) {
      throw new IllegalArgumentException(file + ": expected a JSON object mapping input names to arrays");
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    var fields = root.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      inputs.put(e.getKey(), tensor(file, e.getKey(), e.getValue()));
    }
    return inputs;
  }

  private static Tensor tensor(Path file, String name, JsonNode node) {
    String where = file + ": input '" + name + "'";
    if (node.isObject()) {
      if (!node.has("data") || !node.has("shape")) {
        throw new IllegalArgumentException(where + ": expected {\"shape\": [...], \"data\": [...]} or a nested array");
      }
      return tensor(where, node.get("shape"), node.has("dtype") ? node.get("dtype").asText() : null, node.get("data"));
    }
    return tensor(where, shapeOf(where, node), null, node);
  }

  /**
   * A tensor from JSON values, read as strictly as an input file's: {@code shape} a list of
   * non-negative integer literals, {@code data} its values flat in row-major order (or nested),
   * {@code dtype} one of {@code float16}, {@code float32}, {@code float64} (read as a {@link
   * FloatTensor}) or an integer type ({@code int8} … {@code uint64}, {@code bool}: a {@link
   * LongTensor}, each value an integer literal in the type's range); {@code null} to infer it from
   * the values. The model server reads the tensors of an inference request with it.
   *
   * @param where what a refusal names first, e.g. {@code request: input 'x'}
   * @throws IllegalArgumentException one line naming {@code where}, the value and what was expected
   */
  public static Tensor tensor(String where, JsonNode shape, String dtype, JsonNode data) {
    return tensor(where, declaredShape(where, shape), dtype, data);
  }

  private static Tensor tensor(String where, long[] shape, String dtype, JsonNode data) {
    long n = elements(where, shape);
    List<JsonNode> flat = new ArrayList<>();
    flatten(data, flat);
    if (n != flat.size()) {
      throw new IllegalArgumentException(where + ": shape " + java.util.Arrays.toString(shape) + " needs " + n
          + " values, got " + flat.size());
    }
    long[] range = dtype == null ? INT64 : INTEGER_RANGES.get(dtype);
    boolean integers = dtype != null ? range != null
        : flat.stream().allMatch(v -> v.isIntegralNumber() || v.isBoolean());
    if (dtype != null && !integers && !FLOAT_TYPES.contains(dtype)) {
      throw new IllegalArgumentException(where + ": dtype '" + dtype + "' is not supported, expected one of "
          + FLOAT_TYPES + " or " + INTEGER_RANGES.keySet());
    }
    String type = dtype == null ? (integers ? "int64" : "float32") : dtype;
    if (integers) {
      long[] v = new long[flat.size()];
      for (int i = 0; i < v.length; i++) {
        JsonNode x = flat.get(i);
        if (!(x.isIntegralNumber() || x.isBoolean())) {
          throw new IllegalArgumentException(where + ": value " + literal(x) + " at flat index " + i + " is not an"
              + " integer, expected an integer literal for " + type);
        }
        if (x.isIntegralNumber() && (!x.canConvertToLong() || x.asLong() < range[0] || x.asLong() > range[1])) {
          throw new IllegalArgumentException(where + ": value " + literal(x) + " at flat index " + i + " is out of range,"
              + " expected " + type + " (" + range[0] + " to " + range[1] + ")");
        }
        v[i] = x.isBoolean() ? (x.asBoolean() ? 1 : 0) : x.asLong();
      }
      return new LongTensor(shape, v);
    }
    float[] v = new float[flat.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode x = flat.get(i);
      if (!x.isNumber()) {
        throw new IllegalArgumentException(where + ": value " + x + " at flat index " + i + " is not a number");
      }
      v[i] = (float) x.asDouble();
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(where + ": value " + x.numberValue() + " at flat index " + i + " is not finite as float32,"
            + " expected a magnitude of at most " + Float.MAX_VALUE);
      }
    }
    return new FloatTensor(shape, v);
  }

  /** The dimensions of a {@code "shape"}: non-negative integer literals. */
  private static long[] declaredShape(String where, JsonNode node) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(where + ": shape " + node + " is not a list, expected a list of non-negative"
          + " integers");
    }
    long[] shape = new long[node.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = node.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
        throw new IllegalArgumentException(where + ": shape " + node + " has dimension " + literal(d) + ", expected a"
            + " non-negative integer literal");
      }
      shape[i] = d.asLong();
    }
    return shape;
  }

  /** A value where an integer is expected, as a message shows it: a float says it was read as one. */
  private static String literal(JsonNode x) {
    if (!x.isNumber()) {
      return x.toString();
    }
    return x.numberValue() + (x.isIntegralNumber() ? "" : " (a fraction or an exponent)");
  }

  /** The element count of a shape, refused (not wrapped) past {@link Integer#MAX_VALUE}. */
  static long elements(String where, long[] shape) {
    long n = 1;
    for (long d : shape) {
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        n = Long.MAX_VALUE;
      }
    }
    for (long d : shape) {
      if (d == 0) {
        return 0;
      }
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(where + ": shape " + java.util.Arrays.toString(shape) + " has more than "
          + Integer.MAX_VALUE + " elements, expected at most " + Integer.MAX_VALUE);
    }
    return n;
  }

  private static Map<String, long[]> integerRanges() {
    Map<String, long[]> r = new LinkedHashMap<>();
    r.put("int8", new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE});
    r.put("int16", new long[] {Short.MIN_VALUE, Short.MAX_VALUE});
    r.put("int32", new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE});
    r.put("int64", INT64);
    r.put("uint8", new long[] {0, 255});
    r.put("uint16", new long[] {0, 65535});
    r.put("uint32", new long[] {0, 4294967295L});
    r.put("uint64", new long[] {0, Long.MAX_VALUE});
    r.put("bool", new long[] {0, 1});
    return r;
  }

  private static long[] shapeOf(String where, JsonNode node) {
    List<Long> dims = new ArrayList<>();
    JsonNode n = node;
    while (n.isArray()) {
      dims.add((long) n.size());
      if (n.size() == 0) {
        break;
      }
      n = n.get(0);
    }
    if (dims.isEmpty()) {
      return new long[0];
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    checkRagged(where, node, shape, 0);
    return shape;
  }

  private static void checkRagged(String where, JsonNode node, long[] shape, int axis) {
    if (axis == shape.length) {
      if (node.isArray()) {
        throw new IllegalArgumentException(where + ": ragged nested array (deeper than its first element)");
      }
      return;
    }
    if (!node.isArray() || node.size() != shape[axis]) {
      throw new IllegalArgumentException(where + ": ragged nested array: axis " + axis + " expected " + shape[axis]
          + " entries everywhere");
    }
    for (JsonNode c : node) {
      checkRagged(where, c, shape, axis + 1);
    }
  }

  private static void flatten(JsonNode n, List<JsonNode> out) {
    if (n.isArray()) {
      n.forEach(c -> flatten(c, out));
    } else {
      out.add(n);
    }
  }

  private static boolean hasNpy(Path dir) {
    return list(dir).stream().anyMatch(p -> p.getFileName().toString().endsWith(".npy"));
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("inputs folder " + dir + " cannot be listed (" + e.getMessage() + ")");
    }
  }
}
