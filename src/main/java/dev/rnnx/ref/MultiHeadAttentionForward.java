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
    return apply(prefix, heads, keyDim, q, kv, kv, keyLengths, causal, weights);
  }

  /**
   * Multi-head attention from queries {@code q [B, Tq, dq]} to keys {@code key [B, Tk, dk]} and
   * values {@code value [B, Tk, dv]} (a separate key tensor, as long as the values).
   */
  static Result apply(String prefix, int heads, int keyDim, DoubleTensor q, DoubleTensor key, DoubleTensor value, int[] keyLengths,
      boolean causal, Weights weights) {
    int batch = q.dim(0);
    int tq = q.dim(1);
    int dq = q.dim(2);
    int tk = value.dim(1);
    if (value.dim(0) != batch || key.dim(0) != batch || key.dim(1) != tk) {
      throw new IllegalArgumentException("attention '" + prefix + "': queries hold " + batch + " sequences, keys "
          + java.util.Arrays.toString(key.shape()) + ", values " + java.util.Arrays.toString(value.shape())
          + "; expected one batch and keys as long as the values");
    }
    int inner = heads * keyDim;
    double[] qs = RefMath.dense(q.data(), batch * tq, dq, weights, prefix + "/query", inner);
    double[] ks = RefMath.dense(key.data(), batch * tk, key.dim(2), weights, prefix + "/key", inner);
    double[] vs = RefMath.dense(value.data(), batch * tk, value.dim(2), weights, prefix + "/value", inner);
    double[] alpha = new double[batch * heads * tq * tk];
    double[] context = new double[batch * tq * inner];
    for (int b = 0; b < batch; b++) {
      AttentionForward.length(prefix, keyLengths, b, tk); // checks every length before any work
    }
    boolean naive = RefKernels.naive();
    // the row products add 0 · v where the loop skipped a zero weight: the same bits unless v is not finite
    boolean rows = !naive && RefKernels.finite(vs);
    RefKernels.RowRange sequences = (from, to) -> {
      if (rows) {
        attendRows(from, to, prefix, heads, keyDim, tq, tk, inner, qs, ks, vs, keyLengths, causal, alpha, context);
      } else {
        attend(from, to, prefix, heads, keyDim, tq, tk, inner, qs, ks, vs, keyLengths, causal, alpha, context);
      }
    };
    if (naive) {
      sequences.run(0, batch);
    } else {
      RefKernels.forRows(batch, (long) batch * heads * tq * tk * keyDim * 2, sequences);
    }
    double[] out = RefMath.dense(context, batch * tq, inner, weights, prefix + "/output", dq);
    return new Result(new DoubleTensor(new long[] {batch, tq, dq}, out),
        new DoubleTensor(new long[] {batch, heads, tq, tk}, alpha));
  }

  /**
   * {@link #attend} as row products ({@link RefKernels#productRows}): per sequence and head, the
   * scores of every query are {@code Q_h · K_hᵀ} with {@code K_hᵀ} laid out as {@code key_dim}
   * rows of {@code Tk} (each score still {@code 0 + Σ_k q_k·k_k}, k ascending, then scaled), and
   * the context is {@code α · V_h} (j ascending). The loop skipped a zero weight where this adds
   * {@code 0 · v}: the same bits for finite values, which the caller checks.
   */
  private static void attendRows(int from, int to, String prefix, int heads, int keyDim, int tq, int tk, int inner,
      double[] qs, double[] ks, double[] vs, int[] keyLengths, boolean causal, double[] alpha, double[] context) {
    double scale = 1.0 / Math.sqrt(keyDim);
    double[] queries = new double[tq * keyDim];
    double[][] keysT = RefKernels.rows(keyDim, tk);
    double[][] values = RefKernels.rows(tk, keyDim);
    double[] scores = new double[tq * tk];
    double[] ctx = new double[tq * keyDim];
    double[][] scratch = RefKernels.scratch(Math.max(tk, keyDim));
    int[] all = RefKernels.identity(tq);
    for (int b = from; b < to; b++) {
      int len = AttentionForward.length(prefix, keyLengths, b, tk);
      for (int h = 0; h < heads; h++) {
        int col = h * keyDim;
        for (int i = 0; i < tq; i++) {
          System.arraycopy(qs, (b * tq + i) * inner + col, queries, i * keyDim, keyDim);
        }
        for (int j = 0; j < tk; j++) {
          int kOff = (b * tk + j) * inner + col;
          for (int k = 0; k < keyDim; k++) {
            keysT[k][j] = ks[kOff + k];
          }
          System.arraycopy(vs, kOff, values[j], 0, keyDim);
        }
        java.util.Arrays.fill(scores, 0.0);
        RefKernels.productRows(queries, keyDim, all, tq, keyDim, keysT, 0, tk, scores, tk, scratch);
        for (int i = 0; i < tq; i++) {
          for (int j = 0; j < tk; j++) {
            scores[i * tk + j] *= scale;
          }
          RefMath.maskedSoftmax(scores, i * tk, tk, causal ? Math.min(len, i + 1) : len);
        }
        System.arraycopy(scores, 0, alpha, (b * heads + h) * tq * tk, tq * tk);
        java.util.Arrays.fill(ctx, 0.0);
        RefKernels.productRows(scores, tk, all, tq, tk, values, 0, keyDim, ctx, keyDim, scratch);
        for (int i = 0; i < tq; i++) {
          System.arraycopy(ctx, i * keyDim, context, (b * tq + i) * inner + col, keyDim);
        }
      }
    }
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
