package dev.rnnx.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast read of the common inference request: float32 inputs with flat numeric {@code data},
 * in one streaming pass straight into {@code float[]}, each value parsed as float32 from its
 * decimal text. Anything else (an integer input, an unknown key, any mistake) answers {@code
 * null}, and {@link InferenceCodec#inferRequest(byte[], InputContract, List)} reads the request
 * through the JSON tree instead, which names every refusal; {@code InferenceCodecTest} checks that
 * both read a request the same.
 */
final class StreamedRequest {

  private StreamedRequest() {}

  /** The request, or {@code null} for anything but the plain float32 case. */
  static InferenceCodec.InferRequest read(byte[] body, InputContract contract, List<String> outputNames) throws IOException {
    try (JsonParser p = InferenceCodec.JSON.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      List<String> outputs = new ArrayList<>();
      boolean sawInputs = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("id")) {
          if (v != JsonToken.VALUE_STRING) {
            return null;
          }
          id = p.getText();
        } else if (field.equals("inputs")) {
          if (v != JsonToken.START_ARRAY || sawInputs) {
            return null;
          }
          sawInputs = true;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            if (!streamedTensor(p, contract, tensors)) {
              return null;
            }
          }
          if (p.currentToken() != JsonToken.END_ARRAY) {
            return null;
          }
        } else if (field.equals("outputs")) {
          if (v != JsonToken.START_ARRAY) {
            return null;
          }
          while (p.nextToken() == JsonToken.START_OBJECT) {
            if (p.nextToken() != JsonToken.FIELD_NAME || !p.currentName().equals("name") || p.nextToken() != JsonToken.VALUE_STRING) {
              return null;
            }
            String output = p.getText();
            if (!outputNames.contains(output) || p.nextToken() != JsonToken.END_OBJECT) {
              return null;
            }
            outputs.add(output);
          }
        } else if (field.equals("parameters") && v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (p.currentName().equals("binary_data_output")) {
              return null; // binary outputs: the tree path
            }
            p.nextToken();
            p.skipChildren();
          }
        } else if (field.equals("parameters")) {
          return null;
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || tensors.isEmpty()) {
        return null;
      }
      return new InferenceCodec.InferRequest(id, tensors, outputs);
    }
  }

  /** One float32 input {@code {name, datatype, shape, data}}, in any order; {@code false} for anything else. */
  private static boolean streamedTensor(JsonParser p, InputContract contract, Map<String, Tensor> tensors)
      throws IOException {
    String name = null;
    String datatype = null;
    long[] shape = null;
    float[] data = null;
    int n = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "name", "datatype" -> {
          if (v != JsonToken.VALUE_STRING) {
            return false;
          }
          if (field.equals("name")) {
            name = p.getText();
          } else {
            datatype = p.getText();
          }
        }
        case "shape" -> {
          if (v != JsonToken.START_ARRAY) {
            return false;
          }
          List<Long> dims = new ArrayList<>();
          while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            long d = p.getLongValue();
            if (d < 0 || d > Integer.MAX_VALUE) {
              return false;
            }
            dims.add(d);
          }
          if (p.currentToken() != JsonToken.END_ARRAY) {
            return false;
          }
          shape = dims.stream().mapToLong(Long::longValue).toArray();
        }
        case "data" -> {
          if (v != JsonToken.START_ARRAY) {
            return false;
          }
          data = new float[64];
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
              return false;
            }
            float x = p.getFloatValue();
            if (!Float.isFinite(x)) {
              return false;
            }
            if (n == data.length) {
              data = Arrays.copyOf(data, n * 2);
            }
            data[n++] = x;
          }
        }
        default -> {
          return false; // parameters and anything else: the tree path
        }
      }
    }
    if (name == null || !"FP32".equals(datatype) || shape == null || data == null || tensors.containsKey(name)) {
      return false;
    }
    String input = name;
    InputContract.Input declared = contract.inputs().stream().filter(i -> i.name().equals(input)).findFirst().orElse(null);
    long count = 1;
    for (long d : shape) {
      count *= d;
      if (count > Integer.MAX_VALUE) {
        return false;
      }
    }
    if (declared == null || !declared.type().equals("float32") || count != n) {
      return false;
    }
    tensors.put(name, new FloatTensor(shape, n == data.length ? data : Arrays.copyOf(data, n)));
    return true;
  }
}
