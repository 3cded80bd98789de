package dev.rnnx.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * KServe v2's binary tensor data extension (Triton's {@code binary_tensor_data}): a request whose
 * {@code Inference-Header-Content-Length} header says the body's first N bytes are the JSON
 * inference request carries, after them, the raw data of each input whose {@code parameters} hold
 * {@code binary_data_size}, one after another in the order of {@code inputs}, little-endian, in
 * row-major order. The response is laid out the same way for the outputs asked for with {@code
 * "binary_data": true} (or all, with the request's {@code "binary_data_output": true}). Here: the
 * reading of one request's binary section; every refusal is a 400 of one line.
 */
final class BinaryTensors {

  /** The header that gives the length of the JSON part of a body. */
  static final String HEADER = "Inference-Header-Content-Length";

  private final byte[] body;
  private int at;

  /** @param body the whole body; @param headerLength its JSON part's length, where the binary data starts */
  BinaryTensors(byte[] body, int headerLength) {
    this.body = body;
    this.at = headerLength;
  }

  /**
   * The JSON part's length given by a request's header, checked against its body.
   *
   * @throws ApiException (400) for anything but a decimal integer from 0 to the body's length
   */
  static int headerLength(String value, int bodyLength) {
    String v = value.strip();
    if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.badRequest(HEADER + " is '" + value + "', expected the length in bytes of the JSON part of the body");
    }
    long n = Long.parseLong(v);
    if (n > bodyLength) {
      throw ApiException.badRequest(HEADER + " is " + n + ", longer than the body (" + bodyLength
          + " bytes), expected the length of its JSON part");
    }
    return (int) n;
  }

  /**
   * The next input's tensor, of {@code size} bytes ({@code binary_data_size}) for the given KServe
   * datatype and shape.
   *
   * @param where what a refusal names first, e.g. {@code request: input 'x'}
   */
  Tensor next(String where, String datatype, JsonNode shapeNode, JsonNode size) {
    long[] shape = shape(where, shapeNode);
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    int width = switch (datatype) {
      case "FP32", "INT32" -> 4;
      case "INT64" -> 8;
      default -> throw ApiException.badRequest(where + ": binary data of datatype " + datatype
          + " is not supported, expected FP32, INT32 or INT64 (or JSON 'data')");
    };
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw ApiException.badRequest(where + ": binary_data_size is " + size + ", expected a non-negative integer");
    }
    long bytes = size.asLong();
    if (bytes != count * width) {
      throw ApiException.badRequest(where + ": binary_data_size is " + bytes + " bytes, expected " + count * width + " ("
          + count + " " + datatype + " values of shape " + Arrays.toString(shape) + ")");
    }
    if (bytes > body.length - at) {
      throw ApiException.badRequest(where + ": binary_data_size is " + bytes + " bytes but only " + (body.length - at)
          + " bytes of binary data are left in the body");
    }
    ByteBuffer b = ByteBuffer.wrap(body, at, (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    at += (int) bytes;
    int n = (int) count;
    if (datatype.equals("FP32")) {
      float[] v = new float[n];
      b.asFloatBuffer().get(v);
      return new FloatTensor(shape, v);
    }
    long[] v = new long[n];
    if (width == 8) {
      b.asLongBuffer().get(v);
    } else {
      for (int i = 0; i < n; i++) {
        v[i] = b.getInt();
      }
    }
    return new LongTensor(shape, v);
  }

  /**
   * Checks that every byte of the binary section went to an input.
   *
   * @throws ApiException (400) when bytes are left over
   */
  void finish() {
    if (at != body.length) {
      throw ApiException.badRequest("the body holds " + (body.length - at) + " bytes of binary data that no input's"
          + " binary_data_size claims, expected the inputs' sizes to add up to the body after its JSON part");
    }
  }

  private static long[] shape(String where, JsonNode node) {
    if (node == null || !node.isArray()) {
      throw ApiException.badRequest(where + ": 'shape' is " + (node == null ? "missing" : node.toString())
          + ", expected a list of non-negative integers");
    }
    long[] shape = new long[node.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = node.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
        throw ApiException.badRequest(where + ": shape " + node + " has dimension " + d + ", expected a non-negative integer");
      }
      shape[i] = d.asLong();
      count *= Math.max(1, shape[i]);
      if (count > Integer.MAX_VALUE) {
        throw ApiException.badRequest(where + ": shape " + node + " has more than " + Integer.MAX_VALUE
            + " elements, expected at most " + Integer.MAX_VALUE);
      }
    }
    return shape;
  }

  /** The raw little-endian bytes of float32 values. */
  static byte[] bytes(float[] data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    return b.array();
  }
}
