package dev.rnnx.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.StrictParsing;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.InputFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of the Open Inference Protocol (KServe v2 REST): an inference request's typed tensors
 * in, the response's out. Bodies are read strictly ({@link StrictParsing}: a duplicate key or
 * trailing content is refused) and each tensor as strictly as an input file ({@link
 * InputFiles#tensor}); every refusal is an {@link ApiException} (400) of one line.
 */
final class InferenceCodec {

  /** The mapper of every request and response body. */
  static final ObjectMapper JSON = StrictParsing.configure(JsonMapper.builder())
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // correctly rounded, without the JDK's BigInteger slow path
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // shortest text that reads back exact (Schubfach)
      .build();

  /** KServe datatype to rnnx's element type names ({@link InputContract.Input#type()}, tensorio's dtypes). */
  private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("FP16", "float16"), Map.entry("FP32", "float32"),
      Map.entry("FP64", "float64"), Map.entry("INT8", "int8"), Map.entry("INT16", "int16"), Map.entry("INT32", "int32"),
      Map.entry("INT64", "int64"), Map.entry("UINT8", "uint8"), Map.entry("UINT16", "uint16"), Map.entry("UINT32", "uint32"),
      Map.entry("UINT64", "uint64"), Map.entry("BOOL", "bool"));

  /**
   * An inference request read and checked against the protocol.
   *
   * @param id the request's {@code id}, echoed in the response, or {@code null}
   * @param inputs the tensors by name
   * @param outputs the outputs asked for, or empty for all
   * @param binary the outputs asked for as binary data ({@code "binary_data": true})
   * @param binaryAll whether every output goes as binary data ({@code "binary_data_output": true})
   */
  record InferRequest(String id, Map<String, Tensor> inputs, List<String> outputs, Set<String> binary, boolean binaryAll) {

    /** A request that asks for no binary output. */
    InferRequest(String id, Map<String, Tensor> inputs, List<String> outputs) {
      this(id, inputs, outputs, Set.of(), false);
    }

    /** Whether output {@code name} goes as binary data. */
    boolean binary(String name) {
      return binaryAll || binary.contains(name);
    }
  }

  /**
   * A response body.
   *
   * @param body the bytes
   * @param headerLength the length of its JSON part when binary data follows it (the response's
   *     {@code Inference-Header-Content-Length}), else {@code -1}
   */
  record Encoded(byte[] body, int headerLength) {}

  private InferenceCodec() {}

  /** A body as a JSON object. */
  static JsonNode readObject(byte[] body) {
    return readObject(body, body.length);
  }

  /** The first {@code length} bytes of a body as a JSON object. */
  static JsonNode readObject(byte[] body, int length) {
    if (length == 0) {
      throw ApiException.badRequest("the request body is empty, expected a JSON object");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body, 0, length);
    } catch (IOException e) {
      throw ApiException.badRequest("the request body is not valid JSON: " + StrictParsing.problem(e));
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest("the request body is " + (root == null ? "empty" : "a JSON " + root.getNodeType()
          .toString().toLowerCase(Locale.ROOT)) + ", expected a JSON object");
    }
    return root;
  }

  /** KServe's datatype name of an element type ({@code float32} → {@code FP32}). */
  static String datatype(String type) {
    for (Map.Entry<String, String> e : TYPES.entrySet()) {
      if (e.getValue().equals(type)) {
        return e.getKey();
      }
    }
    return type.toUpperCase(Locale.ROOT);
  }

  /**
   * The tensors and options of an inference request for a model of the given contract and outputs.
   * Names, element types and shapes against the model are checked later, by the model's own
   * contract ({@link InputContract#check}); here, the protocol: each input an object with a
   * {@code name}, a {@code shape}, a {@code datatype} the model's input has, and {@code data} that
   * fills the shape.
   */
  static InferRequest inferRequest(JsonNode root, InputContract contract, List<String> outputNames) {
    return inferRequest(root, contract, outputNames, null);
  }

  /**
   * As {@link #inferRequest(JsonNode, InputContract, List)}, with the binary data that follows the
   * JSON in the body ({@link BinaryTensors}), or {@code null} when the request has none.
   */
  static InferRequest inferRequest(JsonNode root, InputContract contract, List<String> outputNames, BinaryTensors binary) {
    String id = null;
    if (root.has("id")) {
      if (!root.get("id").isTextual()) {
        throw ApiException.badRequest("'id' is " + root.get("id") + ", expected a string");
      }
      id = root.get("id").asText();
    }
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw ApiException.badRequest("'inputs' is " + (inputs == null ? "missing" : inputs.isArray() ? "empty" : "not a list")
          + ", expected a list of tensors {name, shape, datatype, data}; the model reads " + contract.names());
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (JsonNode in : inputs) {
      String name = text(in, "name", "an input");
      if (tensors.containsKey(name)) {
        throw ApiException.badRequest("input '" + name + "' is given twice, expected each input once");
      }
      tensors.put(name, tensor(name, in, contract, binary));
    }
    if (binary != null) {
      binary.finish();
    }
    boolean binaryAll = false;
    JsonNode parameters = root.get("parameters");
    if (parameters != null) {
      if (!parameters.isObject()) {
        throw ApiException.badRequest("'parameters' is " + parameters + ", expected a JSON object");
      }
      JsonNode all = parameters.get("binary_data_output");
      if (all != null && !all.isBoolean()) {
        throw ApiException.badRequest("'binary_data_output' is " + all + ", expected true or false");
      }
      binaryAll = all != null && all.asBoolean();
    }
    Set<String> binaryOutputs = new HashSet<>();
    List<String> outputs = new ArrayList<>();
    JsonNode asked = root.get("outputs");
    if (asked != null) {
      if (!asked.isArray()) {
        throw ApiException.badRequest("'outputs' is not a list, expected a list of {name}");
      }
      for (JsonNode o : asked) {
        String name = text(o, "name", "an output");
        if (!outputNames.contains(name)) {
          throw ApiException.badRequest("unknown output '" + name + "', expected one of " + outputNames);
        }
        if (binaryOutput(o, "output '" + name + "'")) {
          binaryOutputs.add(name);
        }
        outputs.add(name);
      }
    }
    return new InferRequest(id, tensors, outputs, binaryOutputs, binaryAll);
  }

  /**
   * The inference request of a body: the common case (float32 inputs with flat numeric data, nothing
   * unusual) read in one streaming pass straight into {@code float[]}, each value parsed as float32
   * from its decimal text; anything else (an integer input, a refusal of any kind) through the tree
   * ({@link #readObject}, {@link #inferRequest(JsonNode, InputContract, List)}), which gives every
   * refusal its message. Both read the same request the same way.
   */
  static InferRequest inferRequest(byte[] body, InputContract contract, List<String> outputNames) {
    return inferRequest(body, -1, contract, outputNames);
  }

  /**
   * As {@link #inferRequest(byte[], InputContract, List)}; with {@code headerLength} ≥ 0 (the
   * request's {@code Inference-Header-Content-Length}) the body's first {@code headerLength} bytes
   * are the JSON and the rest the inputs' binary data ({@link BinaryTensors}).
   */
  static InferRequest inferRequest(byte[] body, int headerLength, InputContract contract, List<String> outputNames) {
    if (headerLength >= 0) {
      return inferRequest(readObject(body, headerLength), contract, outputNames, new BinaryTensors(body, headerLength));
    }
    InferRequest fast = StreamedRequest.read(body, contract, outputNames); // null: the tree path names the problem
    return fast != null ? fast : inferRequest(readObject(body), contract, outputNames);
  }

  private static Tensor tensor(String name, JsonNode in, InputContract contract, BinaryTensors binary) {
    String where = InputContract.REQUEST + ": input '" + name + "'";
    String datatype = text(in, "datatype", "input '" + name + "'");
    String type = TYPES.get(datatype);
    if (type == null) {
      throw new InvalidInputException(InvalidInputException.Problem.DTYPE, name, where + ": datatype '" + datatype
          + "' is not supported, expected one of " + TYPES.keySet().stream().sorted().toList());
    }
    InputContract.Input declared = contract.inputs().stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
    if (declared == null) {
      throw new InvalidInputException(InvalidInputException.Problem.NAME, name, InputContract.REQUEST + ": unknown input '"
          + name + "', expected " + contract.names());
    }
    if (!declared.type().equals(type)) {
      throw new InvalidInputException(InvalidInputException.Problem.DTYPE, name, where + " must be "
          + datatype(declared.type()) + " (" + declared.describe() + "), got datatype " + datatype);
    }
    JsonNode p = in.get("parameters");
    JsonNode size = p != null && p.isObject() ? p.get("binary_data_size") : null;
    if (size != null) {
      if (binary == null) {
        throw ApiException.badRequest(where + ": binary_data_size is given but the request has no " + BinaryTensors.HEADER
            + " header, expected the header with the length of the JSON part, the binary data after it");
      }
      if (in.has("data")) {
        throw ApiException.badRequest(where + ": both 'data' and binary_data_size are given, expected one of them");
      }
      return binary.next(where, datatype, in.get("shape"), size);
    }
    if (!in.has("shape") || !in.has("data")) {
      throw ApiException.badRequest(where + ": " + (in.has("shape") ? "'data'" : "'shape'") + " is missing, expected"
          + " {name, shape, datatype, data} with data flat in row-major order");
    }
    return InputFiles.tensor(where, in.get("shape"), type, in.get("data"));
  }

  /** Whether an output asks for binary data ({@code "parameters": {"binary_data": true}}). */
  private static boolean binaryOutput(JsonNode node, String where) {
    JsonNode p = node.get("parameters");
    JsonNode b = p != null && p.isObject() ? p.get("binary_data") : null;
    if (b != null && !b.isBoolean()) {
      throw ApiException.badRequest(where + ": binary_data is " + b + ", expected true or false");
    }
    return b != null && b.asBoolean();
  }

  private static String text(JsonNode node, String key, String what) {
    if (!node.isObject()) {
      throw ApiException.badRequest(what + " is " + node + ", expected a JSON object");
    }
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual()) {
      throw ApiException.badRequest(what + ": '" + key + "' is " + (v == null ? "missing" : v.toString()) + ", expected a string");
    }
    return v.asText();
  }

  /**
   * The response body: {@code model_name}, {@code model_version}, the request's {@code id}, and
   * each output asked for (all, when none was) as {@code {name, datatype, shape, data}}, floats
   * written in their shortest exact form ({@link Float#toString}) so they read back bit for bit.
   */
  static byte[] inferResponse(String model, String version, String id, Map<String, FloatTensor> outputs, List<String> asked) {
    return inferResponse(model, version, new InferRequest(id, Map.of(), asked), outputs).body();
  }

  /**
   * The response to a request: as {@link #inferResponse(String, String, String, Map, List)}, each
   * output the request asked for as binary data written as {@code "parameters": {"binary_data_size":
   * N}} in the JSON and its raw little-endian float32 values after the JSON, in output order.
   */
  static Encoded inferResponse(String model, String version, InferRequest request, Map<String, FloatTensor> outputs) {
    String id = request.id();
    List<String> asked = request.outputs();
    List<byte[]> raw = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
      startResponse(g, model, version, id);
      for (Map.Entry<String, FloatTensor> e : outputs.entrySet()) {
        if (!asked.isEmpty() && !asked.contains(e.getKey())) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("name", e.getKey());
        g.writeStringField("datatype", "FP32");
        g.writeArrayFieldStart("shape");
        for (long d : e.getValue().shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        if (request.binary(e.getKey())) {
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", 4L * e.getValue().data().length);
          g.writeEndObject();
          raw.add(BinaryTensors.bytes(e.getValue().data()));
        } else {
          g.writeArrayFieldStart("data");
          for (float v : e.getValue().data()) {
            g.writeNumber(v);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return framed(bytes, raw);
  }

  /** Opens a KServe v2 response: its model name and version, the request's id if it had one, then the {@code outputs} array. */
  static void startResponse(JsonGenerator g, String model, String version, String id) throws IOException {
    g.writeStartObject();
    g.writeStringField("model_name", model);
    g.writeStringField("model_version", version);
    if (id != null) {
      g.writeStringField("id", id);
    }
    g.writeArrayFieldStart("outputs");
  }

  /**
   * A response body: the JSON written so far, then each output's binary tensor data in output order
   * (the header length tells the client where the JSON ends); the JSON alone when nothing is binary.
   */
  static Encoded framed(ByteArrayOutputStream json, List<byte[]> raw) {
    if (raw.isEmpty()) {
      return new Encoded(json.toByteArray(), -1);
    }
    int header = json.size();
    raw.forEach(json::writeBytes);
    return new Encoded(json.toByteArray(), header);
  }

  /** A JSON value as bytes. */
  static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The KServe error body {@code {"error": "..."}}. */
  static byte[] error(String message) {
    return write(Map.of("error", message));
  }
}
