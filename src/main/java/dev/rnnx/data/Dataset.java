package dev.rnnx.data;

import dev.rnnx.spec.FloatTensor;
import java.util.Arrays;

/**
 * Examples as two aligned tensors: inputs {@code x [N, T, F]} and targets {@code y [N, ...]}.
 *
 * @param x inputs, batch first
 * @param y targets, batch first
 */
public record Dataset(FloatTensor x, FloatTensor y) {

  /** Checks that inputs and targets hold the same number of examples. */
  public Dataset {
    if (x.rank() < 1 || y.rank() < 1 || x.dim(0) != y.dim(0)) {
      throw new IllegalArgumentException("dataset inputs " + x.shapeString() + " and targets " + y.shapeString()
          + " must hold the same number of examples");
    }
  }

  /** The number of examples. */
  public int size() {
    return (int) x.dim(0);
  }

  /** The examples at the given indices, in that order. */
  public Dataset select(int[] indices) {
    return new Dataset(rows(x, indices), rows(y, indices));
  }

  /** Examples {@code [from, to)}. */
  public Dataset slice(int from, int to) {
    int[] idx = new int[to - from];
    Arrays.setAll(idx, i -> from + i);
    return select(idx);
  }

  private static FloatTensor rows(FloatTensor t, int[] indices) {
    int row = t.size() / (int) t.dim(0);
    float[] out = new float[indices.length * row];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(t.data(), indices[i] * row, out, i * row, row);
    }
    long[] shape = t.shape();
    shape[0] = indices.length;
    return new FloatTensor(shape, out);
  }
}
