package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How separate requests to one model form share a batch, and how the batch's outputs go back to
 * each request. Every input and output has the batch on axis 0; requests are concatenated along it.
 *
 * <p>Requests of different sequence lengths are <b>padded</b> only when the model reads a
 * {@code lengths} input ({@link #padsTime()}): the time axis of {@link #timeInputs()} is padded
 * with zeros (token id 0) to the longest request, {@code lengths} keeps each sequence's true
 * length, and rnnx's sequence-length contract (recurrent layers stop at each length, attention
 * and pooling mask the rest) makes the padding invisible; each request's {@link #timeOutputs()}
 * are cut back to its own time axis. A model without {@code lengths} would read the padding, so
 * only requests of equal shape share a batch there ({@link #key}). Measured, not assumed:
 * {@code DynamicBatchingTest} finds every batched result of 96 mixed-length requests bit-for-bit
 * equal to the same request run alone on ONNX Runtime (and asserts agreement within 1e-6).
 *
 * @param padsTime whether requests of different lengths may share a batch (the model reads {@code lengths})
 * @param timeInputs inputs whose axis 1 is time
 * @param timeOutputs outputs whose axis 1 is time
 */
record Batches(boolean padsTime, Set<String> timeInputs, Set<String> timeOutputs) {

  Batches {
    timeInputs = Set.copyOf(timeInputs);
    timeOutputs = Set.copyOf(timeOutputs);
  }

  /** Requests share a batch only when all their inputs have equal shapes. */
  static final Batches EXACT = new Batches(false, Set.of(), Set.of());

  /** The layout of a sequential model: pads when it reads {@code lengths}. */
  static Batches of(Sequential spec) {
    boolean sequenceOut = spec.outputs().get(0).shape().rank() == 3;
    return new Batches(spec.input().lengths(), Set.of(Sequential.INPUT), sequenceOut ? Set.of("output") : Set.of());
  }

  /** How a batch was put together: the rows and the time axis each request brought. */
  record Plan(int[] rows, long[] times, long paddedTime) {}

  /** A merged batch. */
  record Merged(Map<String, Tensor> inputs, Plan plan) {}

  /** Rows (axis 0) of a request; every input has the batch on axis 0. */
  static int rows(Map<String, ? extends Tensor> request) {
    Tensor any = request.values().iterator().next();
    return Math.toIntExact(any.dim(0));
  }

  /** The time axis a request brings: axis 1 of its first time input, or 0 when it has none. */
  long time(Map<String, ? extends Tensor> request) {
    for (String name : timeInputs) {
      Tensor t = request.get(name);
      if (t != null && t.rank() > 1) {
        return t.dim(1);
      }
    }
    return 0;
  }

  /**
   * Requests with equal keys may share a batch: every input's name, element type and shape past
   * the batch axis, the time axis left out where padding is allowed.
   */
  String key(Map<String, ? extends Tensor> request) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ? extends Tensor> e : new TreeMap<String, Tensor>(request).entrySet()) {
      long[] shape = e.getValue().shape();
      sb.append(e.getKey()).append(e.getValue() instanceof FloatTensor ? ":f" : ":i");
      for (int i = 1; i < shape.length; i++) {
        boolean padded = padsTime && i == 1 && timeInputs.contains(e.getKey());
        sb.append(',').append(padded ? "*" : Long.toString(shape[i]));
      }
      sb.append(';');
    }
    return sb.toString();
  }

  /**
   * Merges requests along the batch axis, padding time where allowed.
   *
   * @throws IllegalArgumentException when the requests' keys differ
   */
  Merged merge(List<? extends Map<String, ? extends Tensor>> requests) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("no requests to merge");
    }
    String key = key(requests.get(0));
    int[] rows = new int[requests.size()];
    long[] times = new long[requests.size()];
    long padded = 0;
    for (int i = 0; i < rows.length; i++) {
      Map<String, ? extends Tensor> r = requests.get(i);
      if (!key(r).equals(key)) {
        throw new IllegalArgumentException("requests of shapes " + shapes(requests.get(0)) + " and " + shapes(r)
            + " cannot share a batch" + (padsTime ? "" : " (the model reads no lengths, so only equal lengths are batched)"));
      }
      rows[i] = rows(r);
      times[i] = time(r);
      padded = Math.max(padded, times[i]);
    }
    if (requests.size() == 1) {
      return new Merged(new LinkedHashMap<>(requests.get(0)), new Plan(rows, times, padded));
    }
    Map<String, Tensor> merged = new LinkedHashMap<>();
    for (String name : requests.get(0).keySet()) {
      List<Tensor> parts = new ArrayList<>(requests.size());
      requests.forEach(r -> parts.add(r.get(name)));
      long toTime = padsTime && timeInputs.contains(name) && parts.get(0).rank() > 1 ? padded : -1;
      merged.put(name, concat(parts, toTime));
    }
    return new Merged(merged, new Plan(rows, times, padded));
  }

  /** Splits a batch's outputs back into one map per request, in request order. */
  List<Map<String, FloatTensor>> split(Map<String, FloatTensor> outputs, Plan plan) {
    List<Map<String, FloatTensor>> out = new ArrayList<>(plan.rows().length);
    if (plan.rows().length == 1) {
      out.add(outputs);
      return out;
    }
    int offset = 0;
    for (int i = 0; i < plan.rows().length; i++) {
      Map<String, FloatTensor> one = new LinkedHashMap<>();
      for (Map.Entry<String, FloatTensor> e : outputs.entrySet()) {
        boolean trim = padsTime && timeOutputs.contains(e.getKey()) && e.getValue().rank() > 1;
        one.put(e.getKey(), slice(e.getKey(), e.getValue(), offset, plan.rows()[i], trim ? plan.times()[i] : -1));
      }
      out.add(java.util.Collections.unmodifiableMap(one));
      offset += plan.rows()[i];
    }
    return out;
  }

  private static String shapes(Map<String, ? extends Tensor> r) {
    StringBuilder sb = new StringBuilder("{");
    r.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v.shapeString()));
    return sb.append('}').toString();
  }

  /** Concatenates along axis 0; with {@code toTime >= 0} pads axis 1 of each part to it with zeros. */
  private static Tensor concat(List<Tensor> parts, long toTime) {
    long[] shape = parts.get(0).shape();
    long rows = 0;
    for (Tensor p : parts) {
      rows += p.dim(0);
    }
    shape[0] = rows;
    if (toTime >= 0) {
      shape[1] = toTime;
    }
    int rowSize = Math.toIntExact(count(shape) / rows);
    if (parts.get(0) instanceof FloatTensor) {
      float[] data = new float[Math.toIntExact(rows * rowSize)];
      int at = 0;
      for (Tensor p : parts) {
        float[] src = ((FloatTensor) p).data();
        int srcRow = Math.toIntExact(src.length / p.dim(0));
        for (int r = 0; r < p.dim(0); r++) {
          System.arraycopy(src, r * srcRow, data, at, srcRow);
          at += rowSize;
        }
      }
      return new FloatTensor(shape, data);
    }
    long[] data = new long[Math.toIntExact(rows * rowSize)];
    int at = 0;
    for (Tensor p : parts) {
      long[] src = ((LongTensor) p).data();
      int srcRow = Math.toIntExact(src.length / p.dim(0));
      for (int r = 0; r < p.dim(0); r++) {
        System.arraycopy(src, r * srcRow, data, at, srcRow);
        at += rowSize;
      }
    }
    return new LongTensor(shape, data);
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Rows {@code [from, from + rows)} of a batch output; with {@code time >= 0} axis 1 cut to it. */
  private static FloatTensor slice(String name, FloatTensor t, int from, int rows, long time) {
    long[] shape = t.shape();
    if (shape.length == 0 || from + rows > shape[0]) {
      throw new IllegalStateException("output '" + name + "' has shape " + Arrays.toString(shape)
          + ", which does not hold rows " + from + " … " + (from + rows - 1) + " of the batch");
    }
    int srcRow = Math.toIntExact(t.data().length / shape[0]);
    long[] outShape = shape.clone();
    outShape[0] = rows;
    int outRow = srcRow;
    if (time >= 0) {
      outRow = Math.toIntExact(srcRow / shape[1] * time);
      outShape[1] = time;
    }
    float[] data = new float[rows * outRow];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(t.data(), (from + r) * srcRow, data, r * outRow, outRow);
    }
    return new FloatTensor(outShape, data);
  }
}
