package dev.rnnx.ref;

import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.weights.Weights;
import java.util.List;

/** The forward of {@link GlobalAveragePooling}: the mean of steps {@code 0 … L−1} ({@code L = T} without lengths). */
final class GlobalAveragePoolingForward implements RefForward<GlobalAveragePooling> {

  @Override
  public List<DoubleTensor> forward(GlobalAveragePooling layer, RefInput input, Weights weights, TraceSink sink) {
    return List.of(pool(layer.name(), input, false));
  }

  /** The mean ({@code max} false) or the maximum over steps {@code 0 … L−1} of each sequence, {@code [B, T, d] → [B, d]}. */
  static DoubleTensor pool(String name, RefInput input, boolean max) {
    RecurrentRun.checkInput(name, input);
    DoubleTensor x = input.x();
    int batch = x.dim(0);
    int time = x.dim(1);
    int d = x.dim(2);
    int[] lengths = input.lengths();
    double[] out = new double[batch * d];
    if (max) {
      java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
    }
    for (int b = 0; b < batch; b++) {
      int len = AttentionForward.length(name, lengths, b, time);
      for (int t = 0; t < len; t++) {
        for (int j = 0; j < d; j++) {
          double v = x.data()[(b * time + t) * d + j];
          out[b * d + j] = max ? Math.max(out[b * d + j], v) : out[b * d + j] + v;
        }
      }
      for (int j = 0; j < d && !max; j++) {
        out[b * d + j] /= len;
      }
    }
    return new DoubleTensor(new long[] {batch, d}, out);
  }
}
