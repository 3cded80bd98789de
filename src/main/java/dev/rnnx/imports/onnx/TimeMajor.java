package dev.rnnx.imports.onnx;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;

/**
 * Between a time-major ONNX graph ({@code [time, batch, …]}, PyTorch's {@code batch_first=False})
 * and the batch-major model rnnx imports it as: swapping the first two axes of a tensor.
 */
public final class TimeMajor {

  private TimeMajor() {}

  /** A float or integer tensor of rank 2 or more with its first two axes swapped. */
  public static Tensor swap(Tensor t) {
    long[] s = t.shape();
    long[] o = s.clone();
    o[0] = s[1];
    o[1] = s[0];
    int inner = 1;
    for (int i = 2; i < s.length; i++) {
      inner *= (int) s[i];
    }
    int a = (int) s[0];
    int b = (int) s[1];
    if (t instanceof LongTensor l) {
      long[] d = new long[l.data().length];
      for (int i = 0; i < a; i++) {
        for (int j = 0; j < b; j++) {
          System.arraycopy(l.data(), (i * b + j) * inner, d, (j * a + i) * inner, inner);
        }
      }
      return new LongTensor(o, d);
    }
    FloatTensor f = (FloatTensor) t;
    float[] d = new float[f.size()];
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        System.arraycopy(f.data(), (i * b + j) * inner, d, (j * a + i) * inner, inner);
      }
    }
    return new FloatTensor(o, d);
  }
}
