package dev.rnnx.data;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Examples as aligned tensors: inputs {@code x} ({@code [N, T, F]} floats or {@code [N, T]}
 * token ids), targets {@code y [N, ...]}, and for variable-length tasks the length of each
 * sequence ({@code [N]}, each 1 … T; steps past it are padding).
 *
 * @param x inputs, batch first
 * @param y targets, batch first
 * @param lengths sequence lengths, or {@code null} when every sequence fills T
 */
public record Dataset(Tensor x, FloatTensor y, LongTensor lengths) {

  /** Checks that every part holds the same number of examples. */
  public Dataset {
    if (x.rank() < 2 || y.rank() < 1 || x.dim(0) != y.dim(0)) {
      throw new IllegalArgumentException("dataset inputs " + x.shapeString() + " and targets " + y.shapeString()
          + " must hold the same number of examples");
    }
    if (lengths != null && (lengths.rank() != 1 || lengths.dim(0) != x.dim(0))) {
      throw new IllegalArgumentException("dataset lengths " + lengths.shapeString() + " must hold one length per example ("
          + x.dim(0) + ")");
    }
  }

  /** Fixed-length examples. */
  public Dataset(Tensor x, FloatTensor y) {
    this(x, y, null);
  }

  /** The number of examples. */
  public int size() {
    return (int) x.dim(0);
  }

  /** The padded sequence length T. */
  public int length() {
    return (int) x.dim(1);
  }

  /** The model inputs of these examples, by name ({@code input}, and {@code lengths} when present). */
  public Map<String, Tensor> inputs() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put(Sequential.INPUT, x);
    if (lengths != null) {
      m.put(Sequential.LENGTHS, lengths);
    }
    return m;
  }

  /** The examples at the given indices, in that order. */
  public Dataset select(int[] indices) {
    return new Dataset(rows(x, indices), (FloatTensor) rows(y, indices), lengths == null ? null : (LongTensor) rows(lengths, indices));
  }

  /** Examples {@code [from, to)}. */
  public Dataset slice(int from, int to) {
    int[] idx = new int[to - from];
    Arrays.setAll(idx, i -> from + i);
    return select(idx);
  }

  /** Rows {@code indices} of a tensor whose first axis is the examples. */
  static Tensor rows(Tensor t, int[] indices) {
    int row = t.size() / (int) t.dim(0);
    long[] shape = t.shape();
    shape[0] = indices.length;
    if (t instanceof FloatTensor f) {
      float[] out = new float[indices.length * row];
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(f.data(), indices[i] * row, out, i * row, row);
      }
      return new FloatTensor(shape, out);
    }
    LongTensor l = (LongTensor) t;
    long[] out = new long[indices.length * row];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(l.data(), indices[i] * row, out, i * row, row);
    }
    return new LongTensor(shape, out);
  }
}
