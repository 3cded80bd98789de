package dev.rnnx.ref;

import dev.rnnx.spec.AttentionScore;
import dev.rnnx.weights.Weights;

/**
 * One {@link AttentionScore} on its canonical parameters ({@code <prefix>/kernel}, or
 * {@code <prefix>/query_kernel|key_kernel|bias|score_vector}), scoring queries of width
 * {@code dq} against keys of width {@code dk}:
 *
 * <ul>
 *   <li>dot {@code q · k}; scaled dot {@code q · k / √dk}
 *   <li>general {@code q · W · k}
 *   <li>additive {@code v · tanh(q · W_q + k · W_k + b)}
 * </ul>
 *
 * Keys are prepared once per key set ({@link #prepareKeys}); then every query is scored against
 * all of them ({@link #scores}). Immutable.
 */
final class ScoreFunction {

  private final AttentionScore kind;
  private final int dq;
  private final int dk;
  private final int units;
  private final double[] kernel;
  private final double[] queryKernel;
  private final double[] keyKernel;
  private final double[] bias;
  private final double[] vector;

  ScoreFunction(AttentionScore kind, String prefix, Weights weights, int dq, int dk, int units) {
    this.kind = kind;
    this.dq = dq;
    this.dk = dk;
    this.units = units;
    if (kind == AttentionScore.DOT || kind == AttentionScore.SCALED_DOT) {
      if (dq != dk) {
        throw new IllegalArgumentException(kind.recipeName() + " attention needs queries and keys of one width, got " + dq
            + " and " + dk);
      }
    }
    kernel = kind == AttentionScore.GENERAL ? RecurrentCell.param(weights, prefix + "/kernel", dq * dk) : null;
    if (kind == AttentionScore.ADDITIVE) {
      queryKernel = RecurrentCell.param(weights, prefix + "/query_kernel", dq * units);
      keyKernel = RecurrentCell.param(weights, prefix + "/key_kernel", dk * units);
      bias = RecurrentCell.param(weights, prefix + "/bias", units);
      vector = RecurrentCell.param(weights, prefix + "/score_vector", units);
    } else {
      queryKernel = null;
      keyKernel = null;
      bias = null;
      vector = null;
    }
  }

  /** What {@link #scores} reads for {@code n} keys at {@code keys[off …]}: the keys, or {@code K · W_k} for additive. */
  double[] prepareKeys(double[] keys, int off, int n) {
    double[] k = new double[n * dk];
    System.arraycopy(keys, off, k, 0, n * dk);
    return kind == AttentionScore.ADDITIVE ? RefMath.linear(k, n, dk, keyKernel, units, null) : k;
  }

  /** The scores of the query at {@code q[qOff …]} against {@code n} prepared keys, into {@code out[outOff …]}. */
  void scores(double[] q, int qOff, double[] prepared, int n, double[] out, int outOff) {
    switch (kind) {
      case DOT, SCALED_DOT -> {
        double scale = kind == AttentionScore.SCALED_DOT ? 1.0 / Math.sqrt(dk) : 1.0;
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int k = 0; k < dk; k++) {
            s += q[qOff + k] * prepared[j * dk + k];
          }
          out[outOff + j] = s * scale;
        }
      }
      case GENERAL -> {
        double[] qw = new double[dk];
        for (int i = 0; i < dq; i++) {
          double qi = q[qOff + i];
          for (int k = 0; k < dk; k++) {
            qw[k] += qi * kernel[i * dk + k];
          }
        }
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int k = 0; k < dk; k++) {
            s += qw[k] * prepared[j * dk + k];
          }
          out[outOff + j] = s;
        }
      }
      case ADDITIVE -> {
        double[] qw = bias.clone();
        for (int i = 0; i < dq; i++) {
          double qi = q[qOff + i];
          for (int u = 0; u < units; u++) {
            qw[u] += qi * queryKernel[i * units + u];
          }
        }
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int u = 0; u < units; u++) {
            s += vector[u] * Math.tanh(qw[u] + prepared[j * units + u]);
          }
          out[outOff + j] = s;
        }
      }
      default -> throw new IllegalStateException("unknown score " + kind);
    }
  }
}
