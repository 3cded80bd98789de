package dev.rnnx.tf;

import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.PositionalEncoding;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Graph arithmetic of the attention family, shared by the Sequential layers (attention,
 * multi-head attention, layer normalisation, positional encoding, Transformer encoder block) and
 * the seq2seq models. Every function works on run-time batch and time sizes and uses only ops
 * with C++ gradients (BatchMatMulV3, Softmax at rank 3 and 4, Mean, Square, Rsqrt, Transpose,
 * Reshape, GatherV2, Slice, Tanh, Relu, broadcasting Add/Sub/Mul; residual sums as AddN, whose
 * gradient needs no broadcast bookkeeping), so one function serves the training and the serving
 * graphs; {@code GradientCheckTest} checks them against central differences.
 *
 * <p>Masked keys get the additive score bias {@value #MASKED}: float32's {@code exp} of
 * {@code −1e9 − max} underflows to exactly zero, so a masked key's weight is exactly 0 and a
 * query always has at least one unmasked key (lengths are ≥ 1, and a causal query sees key 0).
 */
final class AttentionOps {

  /** The score bias of a masked key. */
  static final float MASKED = -1e9f;

  private AttentionOps() {}

  /** The run-time size of axis {@code axis} of {@code x}, as an int32 scalar. */
  static Operand<TInt32> size(Ops tf, Operand<?> x, int axis) {
    return tf.gather(tf.shape(x), tf.constant(axis), tf.constant(0));
  }

  /**
   * The additive bias of the keys past each sequence's length, {@code [B, 1, Tk]}: 0 for
   * {@code s < L}, {@value #MASKED} otherwise.
   */
  static Operand<TFloat32> paddingBias(Ops tf, Operand<TInt32> lengths, Operand<TInt32> keySteps) {
    Operand<TInt32> steps = tf.expandDims(tf.range(tf.constant(0), keySteps, tf.constant(1)), tf.constant(0));
    Operand<TFloat32> valid = tf.dtypes.cast(tf.math.less(steps, tf.expandDims(lengths, tf.constant(1))), TFloat32.class);
    // (valid − 1) · 1e9 is exactly 0 or −1e9
    return tf.expandDims(tf.math.mul(tf.math.sub(valid, tf.constant(1f)), tf.constant(-MASKED)), tf.constant(1));
  }

  /** The additive bias of the keys after each query, {@code [1, T, T]}: {@value #MASKED} where key s &gt; query t. */
  static Operand<TFloat32> causalBias(Ops tf, Operand<TInt32> steps) {
    Operand<TInt32> range = tf.range(tf.constant(0), steps, tf.constant(1));
    Operand<TFloat32> after = tf.dtypes.cast(tf.math.greater(tf.expandDims(range, tf.constant(0)),
        tf.expandDims(range, tf.constant(1))), TFloat32.class);
    return tf.expandDims(tf.math.mul(after, tf.constant(MASKED)), tf.constant(0));
  }

  /**
   * The score bias of self-attention over {@code steps} steps: padding (when {@code lengths} is
   * not null) plus causal (when asked); null when neither applies.
   */
  static Operand<TFloat32> selfBias(Ops tf, Operand<TInt32> lengths, Operand<TInt32> steps, boolean causal) {
    Operand<TFloat32> padding = lengths == null ? null : paddingBias(tf, lengths, steps);
    Operand<TFloat32> future = causal ? causalBias(tf, steps) : null;
    if (padding == null) {
      return future;
    }
    return future == null ? padding : tf.math.add(padding, future);
  }

  /** {@code x · kernel + bias} on the last axis of a rank-3 {@code x [B, T, in]}. */
  static Operand<TFloat32> dense3(Ops tf, Operand<TFloat32> x, int in, Operand<TFloat32> kernel, Operand<TFloat32> bias, int out) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, in}));
    Operand<TFloat32> y = tf.linalg.matMul(flat, kernel);
    if (bias != null) {
      y = tf.nn.biasAdd(y, bias);
    }
    return tf.reshape(y, GraphShapes.dimsThen(tf, x, new int[] {0, 1}, out));
  }

  /** {@code a · b} batched over the leading axes (BatchMatMulV3, which has a C++ gradient). */
  static Operand<TFloat32> batchMatMul(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, boolean adjointB) {
    return tf.train.batchMatMul(a, b, TFloat32.class, BatchMatMul.adjY(adjointB));
  }

  /**
   * Scores of queries {@code q [B, Tq, dq]} against keys {@code k [B, Tk, dk]} under one of the
   * classic score functions, {@code [B, Tq, Tk]}; the parameters are read under {@code prefix}
   * ({@link dev.rnnx.spec.Attention#scoreParameters}).
   */
  static Operand<TFloat32> scores(Ops tf, TfParameters p, String prefix, AttentionScore score, int units, Operand<TFloat32> q,
      int dq, Operand<TFloat32> k, int dk) {
    return switch (score) {
      case DOT -> batchMatMul(tf, q, k, true);
      case SCALED_DOT -> tf.math.mul(batchMatMul(tf, q, k, true), tf.constant((float) (1 / Math.sqrt(dk))));
      case GENERAL -> batchMatMul(tf, dense3(tf, q, dq, p.get(prefix + "/kernel"), null, dk), k, true);
      case ADDITIVE -> {
        Operand<TFloat32> qw = dense3(tf, q, dq, p.get(prefix + "/query_kernel"), null, units); // [B, Tq, u]
        Operand<TFloat32> kw = dense3(tf, k, dk, p.get(prefix + "/key_kernel"), p.get(prefix + "/bias"), units); // [B, Tk, u]
        Operand<TFloat32> hidden = tf.math.tanh(tf.math.add(tf.expandDims(qw, tf.constant(2)), tf.expandDims(kw, tf.constant(1))));
        Operand<TFloat32> flat = tf.reshape(hidden, tf.constant(new int[] {-1, units}));
        Operand<TFloat32> v = tf.reshape(p.get(prefix + "/score_vector"), tf.constant(new int[] {units, 1}));
        Operand<TInt32> shape = tf.concat(List.of(GraphShapes.dims(tf, q, 0, 1), GraphShapes.dims(tf, k, 1)), tf.constant(0));
        yield tf.reshape(tf.linalg.matMul(flat, v), shape);
      }
    };
  }

  /**
   * Attention of {@code queries} over {@code keys = values}: {@code softmax(scores + bias) · values},
   * {@code [B, Tq, d]}, with {@code bias} broadcast against {@code [B, Tq, Tk]} (or null).
   */
  static Operand<TFloat32> attend(Ops tf, TfParameters p, String prefix, AttentionScore score, int units, Operand<TFloat32> queries,
      int dq, Operand<TFloat32> values, int dv, Operand<TFloat32> bias) {
    Operand<TFloat32> s = scores(tf, p, prefix, score, units, queries, dq, values, dv);
    if (bias != null) {
      s = tf.math.add(s, bias);
    }
    return batchMatMul(tf, tf.nn.softmax(s), values, false);
  }

  /**
   * One-query attention of an RNN decoder: the query {@code q [B, dq]} against the memory
   * {@code m [B, S, dk]}, with its key projection {@code keys} for the additive score (else null).
   *
   * @return the context {@code [B, dk]} and the weights {@code [B, S]}
   */
  static List<Operand<TFloat32>> attendOnce(Ops tf, TfParameters p, String prefix, AttentionScore score, int units,
      Operand<TFloat32> q, int dq, Operand<TFloat32> memory, int dk, Operand<TFloat32> keys, Operand<TFloat32> bias) {
    Operand<TFloat32> s; // [B, S]
    Squeeze.Options last = Squeeze.axis(List.of(-1L));
    switch (score) {
      case DOT -> s = tf.squeeze(batchMatMul(tf, memory, tf.expandDims(q, tf.constant(-1)), false), last);
      case SCALED_DOT -> s = tf.math.mul(tf.squeeze(batchMatMul(tf, memory, tf.expandDims(q, tf.constant(-1)), false), last),
          tf.constant((float) (1 / Math.sqrt(dk))));
      case GENERAL -> {
        Operand<TFloat32> qw = tf.linalg.matMul(q, p.get(prefix + "/kernel")); // [B, dk]
        s = tf.squeeze(batchMatMul(tf, memory, tf.expandDims(qw, tf.constant(-1)), false), last);
      }
      case ADDITIVE -> {
        Operand<TFloat32> qw = tf.linalg.matMul(q, p.get(prefix + "/query_kernel")); // [B, u]
        Operand<TFloat32> hidden = tf.math.tanh(tf.math.add(keys, tf.expandDims(qw, tf.constant(1)))); // [B, S, u]
        Operand<TFloat32> flat = tf.reshape(hidden, tf.constant(new int[] {-1, units}));
        Operand<TFloat32> v = tf.reshape(p.get(prefix + "/score_vector"), tf.constant(new int[] {units, 1}));
        s = tf.reshape(tf.linalg.matMul(flat, v), GraphShapes.dims(tf, memory, 0, 1));
      }
      default -> throw new IllegalArgumentException("unknown score " + score);
    }
    if (bias != null) {
      s = tf.math.add(s, bias);
    }
    Operand<TFloat32> alpha = tf.nn.softmax(s);
    Operand<TFloat32> context = tf.squeeze(batchMatMul(tf, tf.expandDims(alpha, tf.constant(1)), memory, false),
        Squeeze.axis(List.of(1L)));
    return List.of(context, alpha);
  }

  /** The additive score's key projection {@code m · W_k + b} of a memory {@code [B, S, dk]}: {@code [B, S, u]}. */
  static Operand<TFloat32> additiveKeys(Ops tf, TfParameters p, String prefix, int units, Operand<TFloat32> memory, int dk) {
    return dense3(tf, memory, dk, p.get(prefix + "/key_kernel"), p.get(prefix + "/bias"), units);
  }

  /**
   * Multi-head scaled dot-product attention ({@link dev.rnnx.spec.MultiHeadAttention}) of
   * {@code query [B, Tq, dq]} over {@code keyValue [B, Tk, dkv]}, parameters under {@code prefix}
   * (Keras's layout, column index {@code head · key_dim + k}), {@code bias} broadcast against
   * {@code [B, Tq, Tk]} or null: {@code [B, Tq, dq]}.
   */
  static Operand<TFloat32> multiHead(Ops tf, TfParameters p, String prefix, int heads, int keyDim, Operand<TFloat32> query, int dq,
      Operand<TFloat32> keyValue, int dkv, Operand<TFloat32> bias) {
    int inner = heads * keyDim;
    Operand<TFloat32> q = splitHeads(tf, dense3(tf, query, dq, p.get(prefix + "/query/kernel"), p.get(prefix + "/query/bias"), inner),
        heads, keyDim);
    Operand<TFloat32> k = splitHeads(tf, dense3(tf, keyValue, dkv, p.get(prefix + "/key/kernel"), p.get(prefix + "/key/bias"), inner),
        heads, keyDim);
    Operand<TFloat32> v = splitHeads(tf, dense3(tf, keyValue, dkv, p.get(prefix + "/value/kernel"), p.get(prefix + "/value/bias"),
        inner), heads, keyDim);
    Operand<TFloat32> s = tf.math.mul(batchMatMul(tf, q, k, true), tf.constant((float) (1 / Math.sqrt(keyDim)))); // [B, h, Tq, Tk]
    if (bias != null) {
      s = tf.math.add(s, tf.expandDims(bias, tf.constant(1)));
    }
    Operand<TFloat32> heads4 = batchMatMul(tf, tf.nn.softmax(s), v, false); // [B, h, Tq, k]
    Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(heads4, tf.constant(new int[] {0, 2, 1, 3})),
        GraphShapes.dimsThen(tf, query, new int[] {0, 1}, inner));
    return dense3(tf, merged, inner, p.get(prefix + "/output/kernel"), p.get(prefix + "/output/bias"), dq);
  }

  /** {@code [B, T, h·k]} to {@code [B, h, T, k]}. */
  static Operand<TFloat32> splitHeads(Ops tf, Operand<TFloat32> x, int heads, int keyDim) {
    Operand<TFloat32> four = tf.reshape(x, GraphShapes.dimsThen(tf, x, new int[] {0, 1}, heads, keyDim));
    return tf.linalg.transpose(four, tf.constant(new int[] {0, 2, 1, 3}));
  }

  /**
   * Layer normalisation over the last axis, biased variance:
   * {@code (x − mean) / sqrt(var + epsilon) · gamma + beta}; {@code gamma} or {@code beta} may be null.
   */
  static Operand<TFloat32> layerNorm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta, double epsilon) {
    Operand<TInt32> last = tf.constant(-1);
    Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(x, mean);
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), last, Mean.keepDims(true));
    Operand<TFloat32> y = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant((float) epsilon))));
    if (gamma != null) {
      y = tf.math.mul(y, gamma);
    }
    return beta == null ? y : tf.math.add(y, beta);
  }

  /** Layer normalisation with the {@code <prefix>/gamma} and {@code <prefix>/beta} parameters. */
  static Operand<TFloat32> layerNorm(Ops tf, TfParameters p, String prefix, Operand<TFloat32> x, double epsilon) {
    return layerNorm(tf, x, p.get(prefix + "/gamma"), p.get(prefix + "/beta"), epsilon);
  }

  /** {@code relu(x · W1 + b1) · W2 + b2} with {@code <prefix>/ffn_inner} and {@code <prefix>/ffn_outer}. */
  static Operand<TFloat32> feedForward(Ops tf, TfParameters p, String prefix, Operand<TFloat32> x, int d, int ff) {
    return feedForward(tf, p, prefix, x, d, ff, FeedForwardActivation.RELU);
  }

  /** {@code f(x · W1 + b1) · W2 + b2}, {@code f} relu or the exact gelu {@code h · 0.5 · (1 + erf(h / √2))}. */
  static Operand<TFloat32> feedForward(Ops tf, TfParameters p, String prefix, Operand<TFloat32> x, int d, int ff,
      FeedForwardActivation f) {
    Operand<TFloat32> h = dense3(tf, x, d, p.get(prefix + "/ffn_inner/kernel"), p.get(prefix + "/ffn_inner/bias"), ff);
    Operand<TFloat32> inner = f == FeedForwardActivation.GELU
        ? tf.math.mul(tf.math.mul(h, tf.constant(0.5f)),
            tf.math.add(tf.constant(1f), tf.math.erf(tf.math.mul(h, tf.constant((float) (1 / Math.sqrt(2)))))))
        : tf.nn.relu(h);
    return dense3(tf, inner, ff, p.get(prefix + "/ffn_outer/kernel"), p.get(prefix + "/ffn_outer/bias"), d);
  }

  /**
   * One post-LN relu Transformer encoder block: self-attention under {@code <prefix>/attention} with
   * {@code bias}, then the feed-forward part.
   */
  static Operand<TFloat32> encoderBlock(Ops tf, TfParameters p, String prefix, int d, int heads, int ff, double epsilon,
      Operand<TFloat32> x, Operand<TFloat32> bias) {
    return encoderBlock(tf, p, prefix, d, heads, ff, epsilon, false, FeedForwardActivation.RELU, x, bias);
  }

  /**
   * One Transformer encoder block ({@link dev.rnnx.spec.TransformerEncoder}): post-LN
   * {@code LN(x + MHA(x)), LN(a + FFN(a))} or, with {@code normFirst}, pre-LN
   * {@code x + MHA(LN(x)), a + FFN(LN(a))}.
   */
  static Operand<TFloat32> encoderBlock(Ops tf, TfParameters p, String prefix, int d, int heads, int ff, double epsilon,
      boolean normFirst, FeedForwardActivation f, Operand<TFloat32> x, Operand<TFloat32> bias) {
    if (normFirst) {
      Operand<TFloat32> n1 = layerNorm(tf, p, prefix + "/attention_norm", x, epsilon);
      Operand<TFloat32> a = Cell.sum(tf, x, multiHead(tf, p, prefix + "/attention", heads, d / heads, n1, d, n1, d, bias));
      Operand<TFloat32> n2 = layerNorm(tf, p, prefix + "/ffn_norm", a, epsilon);
      return Cell.sum(tf, a, feedForward(tf, p, prefix, n2, d, ff, f));
    }
    Operand<TFloat32> a = multiHead(tf, p, prefix + "/attention", heads, d / heads, x, d, x, d, bias);
    Operand<TFloat32> h = layerNorm(tf, p, prefix + "/attention_norm", Cell.sum(tf, x, a), epsilon);
    return layerNorm(tf, p, prefix + "/ffn_norm", Cell.sum(tf, h, feedForward(tf, p, prefix, h, d, ff, f)), epsilon);
  }

  /**
   * One post-LN Transformer decoder block: causal self-attention ({@code selfBias}), cross-attention
   * on {@code memory} ({@code crossBias}), feed-forward; each followed by a residual sum and
   * layer normalisation.
   */
  static Operand<TFloat32> decoderBlock(Ops tf, TfParameters p, String prefix, int d, int heads, int ff, double epsilon,
      Operand<TFloat32> y, Operand<TFloat32> selfBias, Operand<TFloat32> memory, Operand<TFloat32> crossBias) {
    int keyDim = d / heads;
    Operand<TFloat32> a = multiHead(tf, p, prefix + "/self_attention", heads, keyDim, y, d, y, d, selfBias);
    Operand<TFloat32> h1 = layerNorm(tf, p, prefix + "/self_attention_norm", Cell.sum(tf, y, a), epsilon);
    Operand<TFloat32> c = multiHead(tf, p, prefix + "/cross_attention", heads, keyDim, h1, d, memory, d, crossBias);
    Operand<TFloat32> h2 = layerNorm(tf, p, prefix + "/cross_attention_norm", Cell.sum(tf, h1, c), epsilon);
    return layerNorm(tf, p, prefix + "/ffn_norm", Cell.sum(tf, h2, feedForward(tf, p, prefix, h2, d, ff)), epsilon);
  }

  /** The sinusoidal table {@code [maxLength, d]} of {@link PositionalEncoding#signal}, rounded to float32. */
  static Operand<TFloat32> positionTable(Ops tf, int maxLength, int d) {
    float[][] table = new float[maxLength][d];
    for (int t = 0; t < maxLength; t++) {
      for (int j = 0; j < d; j++) {
        table[t][j] = (float) PositionalEncoding.signal(t, j, d);
      }
    }
    return tf.constant(table);
  }

  /**
   * {@code x · √d (when scaling) + PE[0 … T−1]} for {@code x [B, T, d]}; the caller has checked
   * that T does not exceed the table.
   */
  static Operand<TFloat32> addPositions(Ops tf, Operand<TFloat32> x, Operand<TFloat32> table, int d, boolean scale) {
    Operand<TInt32> steps = tf.expandDims(size(tf, x, 1), tf.constant(0));
    Operand<TFloat32> pe = tf.slice(table, tf.constant(new int[] {0, 0}), tf.concat(List.of(steps, tf.constant(new int[] {d})),
        tf.constant(0)));
    Operand<TFloat32> scaled = scale ? tf.math.mul(x, tf.constant((float) Math.sqrt(d))) : x;
    return tf.math.add(scaled, pe);
  }
}
