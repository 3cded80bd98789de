package dev.rnnx.ref;

import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The forward of {@link MultiHeadAttention}, and the attention of every Transformer block:
 * {@code Q = q · W_q + b_q}, {@code K = kv · W_k + b_k}, {@code V = kv · W_v + b_v}, each
 * {@code [T, heads·key_dim]} with column {@code head·key_dim + k}; per head
 * {@code softmax(Q_h K_hᵀ / √key_dim + mask) V_h}; the heads concatenated in the same
 * head-major order and projected, {@code · W_o + b_o}. Masked keys (past the key sequence's
 * length; after the query when causal) get exactly zero weight. Traces record
 * {@code weights [B, heads, Tq, Tk]}.
 */
final class MultiHeadAttentionForward implements RefForward<MultiHeadAttention> {

  @Override
  public List<DoubleTensor> forward(MultiHeadAttention layer, RefInput input, Weights weights, TraceSink sink) {
    RecurrentRun.checkInput(layer.name(), input);
    DoubleTensor x = input.x();
    Result r = apply(layer.name(), layer.heads(), layer.keyDim(), x, x, input.lengths(), layer.causal(), weights);
    TraceSink.put(sink, "weights", r.weights());
    return List.of(r.output());
  }

  /**
   * What one attention computed.
   *
   * @param output {@code [B, Tq, dq]}
   * @param weights {@code [B, heads, Tq, Tk]}
   */
  record Result(DoubleTensor output, DoubleTensor weights) {}

  /**
   * Multi-head attention from queries {@code q [B, Tq, dq]} to keys and values {@code kv [B, Tk, dkv]}.
   *
   * @param prefix the parameter prefix ({@code <prefix>/query/kernel}, …)
   * @param keyLengths the valid keys of each sequence, or {@code null} for all
   * @param causal whether query i may only see keys ≤ i
   */
  static Result apply(String prefix, int heads, int keyDim, DoubleTensor q, DoubleTensor kv, int[] keyLengths, boolean causal,
      Weights weights) {
    int batch = q.dim(0);
    int tq = q.dim(1);
    int dq = q.dim(2);
    int tk = kv.dim(1);
    int dkv = kv.dim(2);
    if (kv.dim(0) != batch) {
      throw new IllegalArgumentException("attention '" + prefix + "': queries hold " + batch + " sequences, keys " + kv.dim(0));
    }
    int inner = heads * keyDim;
    double[] qs = RefMath.dense(q.data(), batch * tq, dq, weights, prefix + "/query", inner);
    double[] ks = RefMath.dense(kv.data(), batch * tk, dkv, weights, prefix + "/key", inner);
    double[] vs = RefMath.dense(kv.data(), batch * tk, dkv, weights, prefix + "/value", inner);
    double[] alpha = new double[batch * heads * tq * tk];
    double[] context = new double[batch * tq * inner];
    for (int b = 0; b < batch; b++) {
      AttentionForward.length(prefix, keyLengths, b, tk); // checks every length before any work
    }
    RefKernels.RowRange sequences = (from, to) -> attend(from, to, prefix, heads, keyDim, tq, tk, inner, qs, ks, vs,
        keyLengths, causal, alpha, context);
    if (RefKernels.naive()) {
      sequences.run(0, batch);
    } else {
      RefKernels.forRows(batch, (long) batch * heads * tq * tk * keyDim * 2, sequences);
    }
    double[] out = RefMath.dense(context, batch * tq, inner, weights, prefix + "/output", dq);
    return new Result(new DoubleTensor(new long[] {batch, tq, dq}, out),
        new DoubleTensor(new long[] {batch, heads, tq, tk}, alpha));
  }

  /** Scores, softmax and context of sequences {@code [from, to)}; each writes only its own rows. */
  private static void attend(int from, int to, String prefix, int heads, int keyDim, int tq, int tk, int inner, double[] qs,
      double[] ks, double[] vs, int[] keyLengths, boolean causal, double[] alpha, double[] context) {
    double scale = 1.0 / Math.sqrt(keyDim);
    for (int b = from; b < to; b++) {
      int len = AttentionForward.length(prefix, keyLengths, b, tk);
      for (int h = 0; h < heads; h++) {
        int col = h * keyDim;
        for (int i = 0; i < tq; i++) {
          int row = ((b * heads + h) * tq + i) * tk;
          int qOff = (b * tq + i) * inner + col;
          for (int j = 0; j < tk; j++) {
            int kOff = (b * tk + j) * inner + col;
            double s = 0;
            for (int k = 0; k < keyDim; k++) {
              s += qs[qOff + k] * ks[kOff + k];
            }
            alpha[row + j] = s * scale;
          }
          RefMath.maskedSoftmax(alpha, row, tk, causal ? Math.min(len, i + 1) : len);
          int cOff = (b * tq + i) * inner + col;
          for (int j = 0; j < tk; j++) {
            double a = alpha[row + j];
            if (a == 0) {
              continue;
            }
            int vOff = (b * tk + j) * inner + col;
            for (int k = 0; k < keyDim; k++) {
              context[cOff + k] += a * vs[vOff + k];
            }
          }
        }
      }
    }
  }
}
