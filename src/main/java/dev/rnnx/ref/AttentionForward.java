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
    return List.of(attend(layer, input.x(), input.x(), input.lengths(), weights, sink));
  }

  /**
   * Attention from queries {@code q [B, Tq, dq]} to values {@code v [B, Tv, dv]} (the keys are the
   * values): self-attention when both are the layer's input, cross-attention in a graph model.
   *
   * @param lengths the valid values of each sequence, or {@code null} for all
   * @return {@code [B, Tq, dv]}
   */
  static DoubleTensor attend(Attention layer, DoubleTensor q, DoubleTensor v, int[] lengths, Weights weights, TraceSink sink) {
    return attend(layer, q, v, v, lengths, weights, sink);
  }

  /**
   * Attention from queries {@code q [B, Tq, dq]} scored against keys {@code key [B, Tv, dk]}, over
   * values {@code v [B, Tv, dv]} (a separate key tensor, as long as the values): {@code [B, Tq, dv]}.
   */
  static DoubleTensor attend(Attention layer, DoubleTensor q, DoubleTensor key, DoubleTensor v, int[] lengths, Weights weights,
      TraceSink sink) {
    int batch = q.dim(0);
    int tq = q.dim(1);
    int dq = q.dim(2);
    int time = v.dim(1);
    int d = v.dim(2);
    int dk = key.dim(2);
    if (v.dim(0) != batch || key.dim(0) != batch || key.dim(1) != time) {
      throw new IllegalArgumentException("attention '" + layer.name() + "': queries hold " + batch + " sequences, keys "
          + java.util.Arrays.toString(key.shape()) + ", values " + java.util.Arrays.toString(v.shape())
          + "; expected one batch and keys as long as the values");
    }
    ScoreFunction score = new ScoreFunction(layer.score(), layer.name(), weights, dq, dk, layer.units());
    double[] qs = q.data();
    double[] xs = v.data();
    double[] out = new double[batch * tq * d];
    double[] alpha = new double[batch * tq * time];
    for (int b = 0; b < batch; b++) {
      int len = length(layer.name(), lengths, b, time);
      double[] keys = score.prepareKeys(key.data(), b * time * dk, time);
      for (int i = 0; i < tq; i++) {
        int row = (b * tq + i) * time;
        score.scores(qs, (b * tq + i) * dq, keys, time, alpha, row);
        RefMath.maskedSoftmax(alpha, row, time, layer.causal() ? Math.min(len, i + 1) : len);
        int o = (b * tq + i) * d;
        for (int j = 0; j < time; j++) {
          double a = alpha[row + j];
          if (a == 0) {
            continue;
          }
          int vo = (b * time + j) * d;
          for (int k = 0; k < d; k++) {
            out[o + k] += a * xs[vo + k];
          }
        }
      }
    }
    TraceSink.put(sink, "weights", new DoubleTensor(new long[] {batch, tq, time}, alpha));
    return new DoubleTensor(new long[] {batch, tq, d}, out);
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
