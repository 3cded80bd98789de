package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A NaN or infinity in a backend's output, by name and position.
 *
 * @param backend the backend that produced it
 * @param caseName the input case
 * @param output the output name
 * @param index the element's position, one index per axis
 * @param value the value ({@code NaN}, {@code Infinity} or {@code -Infinity})
 * @param count how many non-finite values the output holds in all (this one is the first)
 */
public record NonFiniteValue(String backend, String caseName, String output, long[] index, float value, long count) {

  /** Copies the index. */
  public NonFiniteValue {
    index = index.clone();
  }

  @Override
  public long[] index() {
    return index.clone();
  }

  /** One line, e.g. {@code djl-ort batch7_len100 output[3, 12, 0] = NaN (2 non-finite values)}. */
  public String describe() {
    return backend + " " + caseName + " " + output + position(index) + " = " + value
        + (count > 1 ? " (" + count + " non-finite values)" : "");
  }

  /** The first non-finite value of each output, if any. */
  static List<NonFiniteValue> scan(String backend, String caseName, java.util.Map<String, FloatTensor> outputs) {
    List<NonFiniteValue> found = new ArrayList<>();
    for (var e : outputs.entrySet()) {
      float[] d = e.getValue().data();
      int first = -1;
      long count = 0;
      for (int i = 0; i < d.length; i++) {
        if (!Float.isFinite(d[i])) {
          count++;
          if (first < 0) {
            first = i;
          }
        }
      }
      if (first >= 0) {
        found.add(new NonFiniteValue(backend, caseName, e.getKey(), unravel(e.getValue().shape(), first), d[first], count));
      }
    }
    return found;
  }

  /** The multi-index of a flat row-major index. */
  static long[] unravel(long[] shape, long flat) {
    long[] idx = new long[shape.length];
    for (int a = shape.length - 1; a >= 0; a--) {
      long d = Math.max(shape[a], 1);
      idx[a] = flat % d;
      flat /= d;
    }
    return idx;
  }

  /** A flat index as {@code [i, j, k]}. */
  static String position(long[] shape, long flat) {
    return position(unravel(shape, flat));
  }

  private static String position(long[] index) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < index.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(index[i]);
    }
    return sb.append(']').toString();
  }
}
