package dev.rnnx.ref;

import dev.rnnx.spec.GlobalMaxPooling;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;

/** The forward of {@link GlobalMaxPooling}: the maximum of steps {@code 0 … L−1} ({@code L = T} without lengths). */
final class GlobalMaxPoolingForward implements RefForward<GlobalMaxPooling> {

  @Override
  public List<DoubleTensor> forward(GlobalMaxPooling layer, RefInput input, Weights weights, TraceSink sink) {
    RecurrentRun.checkInput(layer.name(), input);
    DoubleTensor x = input.x();
    int batch = x.dim(0);
    int time = x.dim(1);
    int d = x.dim(2);
    int[] lengths = input.lengths();
    double[] out = new double[batch * d];
    Arrays.fill(out, Double.NEGATIVE_INFINITY);
    for (int b = 0; b < batch; b++) {
      int len = AttentionForward.length(layer.name(), lengths, b, time);
      for (int t = 0; t < len; t++) {
        for (int j = 0; j < d; j++) {
          out[b * d + j] = Math.max(out[b * d + j], x.data()[(b * time + t) * d + j]);
        }
      }
    }
    return List.of(new DoubleTensor(new long[] {batch, d}, out));
  }
}
