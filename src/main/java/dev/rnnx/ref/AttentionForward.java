package dev.rnnx.ref;

import dev.rnnx.spec.Attention;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The forward of {@link Attention}: self-attention with query = key = value = the input,
 * {@code out_t = Σ_s α_ts · x_s}, {@code α_t = softmax_s(score(x_t, x_s))} over the keys
 * {@code s < L} (and {@code s ≤ t} when causal); every other key gets exactly zero weight. Query
 * steps past L are computed like any other. Traces record {@code weights [B, T, T]}.
 */
final class AttentionForward implements RefForward<Attention> {

  @Override
  public List<DoubleTensor> forward(Attention layer, RefInput input, Weights weights, TraceSink sink) {
    RecurrentRun.checkInput(layer.name(), input);
    DoubleTensor x = input.x();
    int batch = x.dim(0);
    int time = x.dim(1);
    int d = x.dim(2);
    int[] lengths = input.lengths();
    ScoreFunction score = new ScoreFunction(layer.score(), layer.name(), weights, d, d, layer.units());
    double[] xs = x.data();
    double[] out = new double[batch * time * d];
    double[] alpha = new double[batch * time * time];
    for (int b = 0; b < batch; b++) {
      int len = length(layer.name(), lengths, b, time);
      double[] keys = score.prepareKeys(xs, b * time * d, time);
      for (int i = 0; i < time; i++) {
        int row = (b * time + i) * time;
        score.scores(xs, (b * time + i) * d, keys, time, alpha, row);
        RefMath.maskedSoftmax(alpha, row, time, layer.causal() ? Math.min(len, i + 1) : len);
        int o = (b * time + i) * d;
        for (int j = 0; j < time; j++) {
          double a = alpha[row + j];
          if (a == 0) {
            continue;
          }
          int v = (b * time + j) * d;
          for (int k = 0; k < d; k++) {
            out[o + k] += a * xs[v + k];
          }
        }
      }
    }
    TraceSink.put(sink, "weights", new DoubleTensor(new long[] {batch, time, time}, alpha));
    return List.of(new DoubleTensor(new long[] {batch, time, d}, out));
  }

  /**
   * The valid length of sequence {@code b}: {@code lengths[b]}, or {@code time} without lengths.
   *
   * @throws IllegalArgumentException when it is outside 1 … time
   */
  static int length(String layer, int[] lengths, int b, int time) {
    int len = lengths == null ? time : lengths[b];
    if (len < 1 || len > time) {
      throw new IllegalArgumentException("layer '" + layer + "': sequence " + b + " has length " + len + ", expected 1 … " + time);
    }
    return len;
  }
}
