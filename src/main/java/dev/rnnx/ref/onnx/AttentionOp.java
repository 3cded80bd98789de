package dev.rnnx.ref.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * {@code Attention} (opset 23, ONNX 1.18): scaled dot-product attention with multiple heads.
 *
 * <p>Inputs {@code Q, K, V} are either 4-D, {@code [B, heads, length, head_size]}, or 3-D,
 * {@code [B, length, heads · head_size]} with the attributes {@code q_num_heads} and
 * {@code kv_num_heads} (column {@code h · head_size + k} belongs to head h). Optional
 * {@code past_key}/{@code past_value} {@code [B, kv_heads, P, ·]} are prepended to K and V along the
 * sequence axis. For every batch entry b, query head h and query step i:
 *
 * <pre>
 * s_j   = (Q[b,h,i] · K[b,g,j]) · scale                  g = h / (q_heads / kv_heads) (grouped-query)
 *       + mask[b,h,i,j]                                   bool mask: 0 where true, −∞ where false
 *       − ∞ where is_causal and j &gt; i + P
 * s_j   = softcap · tanh(s_j / softcap)                   only with softcap &gt; 0
 * Y[b,h,i] = Σ_j softmax_j(s) · V[b,g,j]
 * </pre>
 *
 * The mask (bool, or of Q's type and added) must broadcast to {@code [B, q_heads, Tq, P + Tk]};
 * {@code scale} defaults to {@code 1/√head_size}. Outputs: Y (3-D as {@code [B, Tq, q_heads · v_head_size]}
 * when the inputs are 3-D), {@code present_key} and {@code present_value} (4-D, past included), and
 * {@code qk_matmul_output} {@code [B, q_heads, Tq, P + Tk]} chosen by {@code qk_matmul_output_mode}:
 * 0 the scaled product, 1 after the mask, 2 after the softcap, 3 after the softmax (opset 23's order:
 * the mask before the softcap). {@code softmax_precision} is ignored: everything is computed in
 * double. A query row whose every key is masked gives NaN, as the softmax of nothing does.
 */
final class AttentionOp {

  private AttentionOp() {}

  static List<Value> attention(Node node, List<Value> in) {
    Value q = node.required(in, 0, "Q");
    Value k = node.required(in, 1, "K");
    Value v = node.required(in, 2, "V");
    Value mask = Node.input(in, 3);
    Value pastKey = Node.input(in, 4);
    Value pastValue = Node.input(in, 5);
    if (!q.type().isFloating() || k.type() != q.type() || v.type() != q.type()) {
      throw new IllegalArgumentException("Q, K and V must share one floating type, got " + q.type() + ", " + k.type()
          + " and " + v.type());
    }
    if (q.rank() != k.rank() || q.rank() != v.rank() || (q.rank() != 3 && q.rank() != 4)) {
      throw new IllegalArgumentException("Q, K and V must all be 3-D or all 4-D, got " + Shapes.str(q.shapeRef()) + ", "
          + Shapes.str(k.shapeRef()) + " and " + Shapes.str(v.shapeRef()));
    }
    boolean threeD = q.rank() == 3;
    Heads qh;
    Heads kh;
    Heads vh;
    if (threeD) {
      int qHeads = (int) node.getInt("q_num_heads", 0);
      int kvHeads = (int) node.getInt("kv_num_heads", 0);
      if (qHeads < 1 || kvHeads < 1) {
        throw new IllegalArgumentException("3-D inputs need q_num_heads and kv_num_heads, got " + qHeads + " and " + kvHeads);
      }
      qh = Heads.split(q, qHeads, "Q");
      kh = Heads.split(k, kvHeads, "K");
      vh = Heads.split(v, kvHeads, "V");
    } else {
      qh = Heads.of(q);
      kh = Heads.of(k);
      vh = Heads.of(v);
    }
    int batch = qh.batch;
    if (kh.batch != batch || vh.batch != batch) {
      throw new IllegalArgumentException("Q, K and V must have one batch size, got " + batch + ", " + kh.batch + " and "
          + vh.batch);
    }
    if (kh.heads != vh.heads || qh.heads % kh.heads != 0) {
      throw new IllegalArgumentException("K and V must have the same number of heads, dividing Q's; got Q " + qh.heads
          + ", K " + kh.heads + ", V " + vh.heads);
    }
    if (qh.size != kh.size) {
      throw new IllegalArgumentException("Q and K head sizes differ: " + qh.size + " and " + kh.size);
    }
    int past = 0;
    if (pastKey != null || pastValue != null) {
      if (pastKey == null || pastValue == null) {
        throw new IllegalArgumentException("past_key and past_value must be given together");
      }
      Heads pk = Heads.of(pastKey);
      Heads pv = Heads.of(pastValue);
      past = pk.length;
      kh = Heads.concat(pk, kh, "past_key");
      vh = Heads.concat(pv, vh, "past_value");
    }
    if (kh.length != vh.length) {
      throw new IllegalArgumentException("K and V sequence lengths differ: " + kh.length + " and " + vh.length);
    }
    int tq = qh.length;
    int total = kh.length;
    int group = qh.heads / kh.heads;
    double scale = node.has("scale") ? node.getFloat("scale", 0) : 1.0 / Math.sqrt(qh.size);
    double softcap = node.getFloat("softcap", 0);
    boolean causal = node.getInt("is_causal", 0) != 0;
    int mode = (int) node.getInt("qk_matmul_output_mode", 0);
    if (mode < 0 || mode > 3) {
      throw new IllegalArgumentException("qk_matmul_output_mode is " + mode + ", expected 0, 1, 2 or 3");
    }
    long[] scoreShape = {batch, qh.heads, tq, total};
    int[] maskIndex = null;
    if (mask != null) {
      if (mask.type() != DataType.BOOL && mask.type() != q.type()) {
        throw new IllegalArgumentException("attn_mask must be BOOL or " + q.type() + ", got " + mask.type());
      }
      long[] joint;
      try {
        joint = Shapes.broadcast(mask.shapeRef(), scoreShape);
      } catch (IllegalArgumentException e) {
        joint = null;
      }
      if (!Arrays.equals(joint, scoreShape)) {
        throw new IllegalArgumentException("attn_mask of shape " + Shapes.str(mask.shapeRef())
            + " does not broadcast to [batch, q_heads, q_length, total_length] = " + Shapes.str(scoreShape));
      }
      maskIndex = Shapes.broadcastIndex(mask.shapeRef(), scoreShape);
    }
    double[] y = new double[batch * qh.heads * tq * vh.size];
    double[] qk = new double[batch * qh.heads * tq * total];
    double[] s = new double[total];
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < qh.heads; h++) {
        int g = h / group;
        for (int i = 0; i < tq; i++) {
          int row = ((b * qh.heads + h) * tq + i) * total;
          for (int j = 0; j < total; j++) {
            double dot = 0;
            for (int c = 0; c < qh.size; c++) {
              dot += qh.get(b, h, i, c) * kh.get(b, g, j, c);
            }
            s[j] = dot * scale;
            if (mode == 0) {
              qk[row + j] = s[j];
            }
            if (maskIndex != null) {
              s[j] += mask.type() == DataType.BOOL ? (mask.getLong(maskIndex[row + j]) != 0 ? 0 : Double.NEGATIVE_INFINITY)
                  : mask.getDouble(maskIndex[row + j]);
            }
            if (causal && j > i + past) {
              s[j] = Double.NEGATIVE_INFINITY;
            }
            if (mode == 1) {
              qk[row + j] = s[j];
            }
            if (softcap > 0) {
              s[j] = softcap * Math.tanh(s[j] / softcap);
            }
            if (mode == 2) {
              qk[row + j] = s[j];
            }
          }
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < total; j++) {
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j < total; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int j = 0; j < total; j++) {
            s[j] /= sum;
            if (mode == 3) {
              qk[row + j] = s[j];
            }
          }
          for (int c = 0; c < vh.size; c++) {
            double acc = 0;
            for (int j = 0; j < total; j++) {
              acc += s[j] * vh.get(b, g, j, c);
            }
            int at = threeD ? ((b * tq + i) * qh.heads + h) * vh.size + c : ((b * qh.heads + h) * tq + i) * vh.size + c;
            y[at] = acc;
          }
        }
      }
    }
    long[] yShape = threeD ? new long[] {batch, tq, (long) qh.heads * vh.size} : new long[] {batch, qh.heads, tq, vh.size};
    return List.of(Value.wrapDoubles(q.type(), yShape, y), kh.toValue(q.type()), vh.toValue(q.type()),
        Value.wrapDoubles(q.type(), scoreShape, qk));
  }

  /** A tensor seen as {@code [batch, heads, length, size]}, whatever its layout. */
  private static final class Heads {
    final int batch;
    final int heads;
    final int length;
    final int size;
    final double[] data; // row-major [batch, heads, length, size]

    Heads(int batch, int heads, int length, int size, double[] data) {
      this.batch = batch;
      this.heads = heads;
      this.length = length;
      this.size = size;
      this.data = data;
    }

    double get(int b, int h, int t, int c) {
      return data[((b * heads + h) * length + t) * size + c];
    }

    static Heads of(Value v) {
      if (v.rank() != 4) {
        throw new IllegalArgumentException("expected a 4-D tensor [batch, heads, length, size], got "
            + Shapes.str(v.shapeRef()));
      }
      return new Heads((int) v.dim(0), (int) v.dim(1), (int) v.dim(2), (int) v.dim(3), v.toDoubleArray());
    }

    /** {@code [B, T, heads · size]} → {@code [B, heads, T, size]}. */
    static Heads split(Value v, int heads, String what) {
      int hidden = (int) v.dim(2);
      if (hidden % heads != 0) {
        throw new IllegalArgumentException(what + "'s width " + hidden + " is not a multiple of its " + heads + " heads");
      }
      int b = (int) v.dim(0);
      int t = (int) v.dim(1);
      int size = hidden / heads;
      double[] d = new double[b * heads * t * size];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          for (int h = 0; h < heads; h++) {
            for (int c = 0; c < size; c++) {
              d[((i * heads + h) * t + j) * size + c] = v.getDouble((i * t + j) * hidden + h * size + c);
            }
          }
        }
      }
      return new Heads(b, heads, t, size, d);
    }

    /** {@code past} then {@code now} along the length axis. */
    static Heads concat(Heads past, Heads now, String what) {
      if (past.batch != now.batch || past.heads != now.heads || past.size != now.size) {
        throw new IllegalArgumentException(what + " [" + past.batch + ", " + past.heads + ", " + past.length + ", "
            + past.size + "] does not match [" + now.batch + ", " + now.heads + ", ·, " + now.size + "]");
      }
      int len = past.length + now.length;
      double[] d = new double[past.batch * past.heads * len * past.size];
      for (int b = 0; b < past.batch; b++) {
        for (int h = 0; h < past.heads; h++) {
          int to = (b * past.heads + h) * len * past.size;
          System.arraycopy(past.data, (b * past.heads + h) * past.length * past.size, d, to, past.length * past.size);
          System.arraycopy(now.data, (b * now.heads + h) * now.length * now.size, d, to + past.length * past.size,
              now.length * now.size);
        }
      }
      return new Heads(past.batch, past.heads, len, past.size, d);
    }

    Value toValue(DataType type) {
      return Value.wrapDoubles(type, new long[] {batch, heads, length, size}, data.clone());
    }
  }
}
