package dev.rnnx.serve;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fast read of the common inference request: float32 inputs with flat numeric {@code data},
 * in one pass over the body's bytes ({@link JsonCursor}) straight into each input's {@code float[]}
 * (sized from its {@code shape} when the shape comes first), each value read as {@link
 * Float#parseFloat} reads its decimal text ({@link DecimalFloat}; an integer literal as Jackson
 * reads it). Anything else (an integer input, an unknown key in a tensor, an escape in a string,
 * any mistake) answers {@code null}, and {@link InferenceCodec#inferRequest(byte[], InputContract,
 * List)} reads the request through the JSON tree instead, which names every refusal; {@code
 * InferenceCodecTest} checks that both read a request the same.
 */
final class StreamedRequest {

  private StreamedRequest() {}

  /** The request, or {@code null} for anything but the plain float32 case. */
  static InferenceCodec.InferRequest read(byte[] body, InputContract contract, List<String> outputNames) {
    try {
      return read(new JsonCursor(body, 0, body.length), body.length, contract, outputNames);
    } catch (RuntimeException e) { // JsonCursor.UNUSUAL, or a shape the contract's types refuse
      return null;
    }
  }

  private static InferenceCodec.InferRequest read(JsonCursor c, int size, InputContract contract, List<String> outputNames) {
    c.expect('{');
    String id = null;
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    List<String> outputs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (!c.take('}')) {
      do {
        String field = c.key();
        if (!seen.add(field)) {
          return null; // a duplicate key: the tree path refuses it
        }
        switch (field) {
          case "id" -> id = c.string();
          case "inputs" -> {
            c.expect('[');
            if (c.take(']')) {
              return null;
            }
            do {
              if (!tensor(c, size, contract, tensors)) {
                return null;
              }
            } while (c.more(']'));
          }
          case "outputs" -> {
            c.expect('[');
            if (!c.take(']')) {
              do {
                c.expect('{');
                if (!c.key().equals("name")) {
                  return null;
                }
                String output = c.string();
                if (!outputNames.contains(output) || c.more('}')) {
                  return null;
                }
                outputs.add(output);
              } while (c.more(']'));
            }
          }
          case "parameters" -> {
            c.expect('{');
            if (!c.take('}')) {
              Set<String> keys = new HashSet<>();
              do {
                String key = c.key();
                if (key.equals("binary_data_output") || !keys.add(key)) {
                  return null; // binary outputs: the tree path
                }
                c.skipValue();
              } while (c.more('}'));
            }
          }
          default -> c.skipValue();
        }
      } while (c.more('}'));
    }
    if (!c.atEnd() || tensors.isEmpty()) {
      return null;
    }
    return new InferenceCodec.InferRequest(id, tensors, outputs);
  }

  /** One float32 input {@code {name, datatype, shape, data}}, in any order; {@code false} for anything else. */
  private static boolean tensor(JsonCursor c, int size, InputContract contract, Map<String, Tensor> tensors) {
    c.expect('{');
    String name = null;
    String datatype = null;
    long[] shape = null;
    float[] data = null;
    int n = 0;
    if (c.take('}')) {
      return false;
    }
    do {
      String field = c.key();
      switch (field) {
        case "name" -> {
          if (name != null) {
            return false;
          }
          name = c.string();
        }
        case "datatype" -> {
          if (datatype != null) {
            return false;
          }
          datatype = c.string();
        }
        case "shape" -> {
          if (shape != null) {
            return false;
          }
          shape = shape(c);
        }
        case "data" -> {
          if (data != null) {
            return false;
          }
          long expected = shape == null ? -1 : elements(shape);
          c.expect('[');
          // each value takes at least two bytes ("0,"), so a shape the body cannot fill is not allocated
          if (expected >= 0 && expected <= size / 2 + 1) {
            data = new float[(int) expected];
            n = c.floats(data); // more values than the shape holds: JsonCursor.UNUSUAL
            for (int k = 0; k < n; k++) {
              if (!Float.isFinite(data[k])) {
                return false;
              }
            }
          } else if (!c.take(']')) {
            data = new float[64];
            do {
              float x = c.floatValue();
              if (!Float.isFinite(x)) {
                return false;
              }
              if (n == data.length) {
                data = Arrays.copyOf(data, Math.max(64, n * 2));
              }
              data[n++] = x;
            } while (c.more(']'));
          } else {
            data = new float[0];
          }
        }
        default -> {
          return false; // parameters and anything else: the tree path
        }
      }
    } while (c.more('}'));
    if (name == null || !"FP32".equals(datatype) || shape == null || data == null || tensors.containsKey(name)) {
      return false;
    }
    String input = name;
    InputContract.Input declared = contract.inputs().stream().filter(i -> i.name().equals(input)).findFirst().orElse(null);
    if (declared == null || !declared.type().equals("float32") || elements(shape) != n) {
      return false;
    }
    tensors.put(name, new FloatTensor(shape, n == data.length ? data : Arrays.copyOf(data, n)));
    return true;
  }

  /** A {@code shape}: a list of integer literals from 0 to {@link Integer#MAX_VALUE}. */
  private static long[] shape(JsonCursor c) {
    long[] dims = new long[4];
    int rank = 0;
    c.expect('[');
    if (!c.take(']')) {
      do {
        long d = c.natural();
        if (d > Integer.MAX_VALUE) {
          throw JsonCursor.UNUSUAL;
        }
        if (rank == dims.length) {
          dims = Arrays.copyOf(dims, rank * 2);
        }
        dims[rank++] = d;
      } while (c.more(']'));
    }
    return Arrays.copyOf(dims, rank);
  }

  /** The elements of a shape, or {@code -1} past {@link Integer#MAX_VALUE}. */
  private static long elements(long[] shape) {
    long count = 1;
    for (long d : shape) {
      count *= d;
      if (count > Integer.MAX_VALUE) {
        return -1;
      }
    }
    return count;
  }
}
