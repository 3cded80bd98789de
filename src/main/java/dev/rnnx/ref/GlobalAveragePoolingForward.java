package dev.rnnx.ref;

import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.weights.Weights;
import java.util.List;

/** The forward of {@link GlobalAveragePooling}: the mean of steps {@code 0 … L−1} ({@code L = T} without lengths). */
final class GlobalAveragePoolingForward implements RefForward<GlobalAveragePooling> {

  @Override
  public List<DoubleTensor> forward(GlobalAveragePooling layer, RefInput input, Weights weights, TraceSink sink) {
    RecurrentRun.checkInput(layer.name(), input);
    DoubleTensor x = input.x();
    int batch = x.dim(0);
    int time = x.dim(1);
    int d = x.dim(2);
    int[] lengths = input.lengths();
    double[] out = new double[batch * d];
    for (int b = 0; b < batch; b++) {
      int len = AttentionForward.length(layer.name(), lengths, b, time);
      for (int t = 0; t < len; t++) {
        for (int j = 0; j < d; j++) {
          out[b * d + j] += x.data()[(b * time + t) * d + j];
        }
      }
      for (int j = 0; j < d; j++) {
        out[b * d + j] /= len;
      }
    }
    return List.of(new DoubleTensor(new long[] {batch, d}, out));
  }
}
