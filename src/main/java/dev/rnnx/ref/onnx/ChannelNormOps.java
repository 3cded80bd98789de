package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalisations over the channels of {@code (N, C, D1, ...)} tensors: {@code BatchNormalization}
 * (inference with the running statistics, and from opset 14 training mode with the batch
 * statistics and updated running ones), {@code InstanceNormalization}, {@code LRN},
 * {@code MeanVarianceNormalization}; and {@code Hardmax}.
 */
final class ChannelNormOps {

  private ChannelNormOps() {}

  static List<Value> batchNormalization(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value scale = node.required(in, 1, "scale");
    Value bias = node.required(in, 2, "B");
    Value mean = node.required(in, 3, "input_mean");
    Value var = node.required(in, 4, "input_var");
    double eps = node.getFloat("epsilon", 1e-5);
    double momentum = node.getFloat("momentum", 0.9);
    boolean training = node.opset() >= 14 && node.getInt("training_mode", 0) != 0;
    int n = (int) x.dim(0);
    int c = x.rank() > 1 ? (int) x.dim(1) : 1;
    int inner = Shapes.product(x.shapeRef(), 2, x.rank());
    double[] xd = x.doublesRef();
    double[] m = mean.toDoubleArray();
    double[] v = var.toDoubleArray();
    double[] bm = new double[c];
    double[] bv = new double[c];
    if (training) {
      for (int ch = 0; ch < c; ch++) {
        double s = 0;
        double s2 = 0;
        for (int b = 0; b < n; b++) {
          for (int i = 0; i < inner; i++) {
            double e = xd[(b * c + ch) * inner + i];
            s += e;
            s2 += e * e;
          }
        }
        int cnt = n * inner;
        bm[ch] = s / cnt;
        bv[ch] = s2 / cnt - bm[ch] * bm[ch];
      }
    }
    double[] y = new double[xd.length];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        double mu = training ? bm[ch] : m[ch];
        double sd = Math.sqrt((training ? bv[ch] : v[ch]) + eps);
        for (int i = 0; i < inner; i++) {
          int k = (b * c + ch) * inner + i;
          y[k] = (xd[k] - mu) / sd * scale.getDouble(ch) + bias.getDouble(ch);
        }
      }
    }
    List<Value> out = new ArrayList<>();
    out.add(Value.wrapDoubles(x.type(), x.shape(), y));
    if (training) {
      double[] rm = new double[c];
      double[] rv = new double[c];
      for (int ch = 0; ch < c; ch++) {
        rm[ch] = m[ch] * momentum + bm[ch] * (1 - momentum);
        rv[ch] = v[ch] * momentum + bv[ch] * (1 - momentum);
      }
      out.add(Value.wrapDoubles(mean.type(), mean.shape(), rm));
      out.add(Value.wrapDoubles(var.type(), var.shape(), rv));
    }
    return out;
  }

  static List<Value> instanceNormalization(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    Value scale = node.required(in, 1, "scale");
    Value bias = node.required(in, 2, "B");
    double eps = node.getFloat("epsilon", 1e-5);
    int n = (int) x.dim(0);
    int c = (int) x.dim(1);
    int inner = Shapes.product(x.shapeRef(), 2, x.rank());
    double[] xd = x.doublesRef();
    double[] y = new double[xd.length];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        int base = (b * c + ch) * inner;
        double s = 0;
        for (int i = 0; i < inner; i++) {
          s += xd[base + i];
        }
        double mu = s / inner;
        double s2 = 0;
        for (int i = 0; i < inner; i++) {
          s2 += (xd[base + i] - mu) * (xd[base + i] - mu);
        }
        double sd = Math.sqrt(s2 / inner + eps);
        for (int i = 0; i < inner; i++) {
          y[base + i] = (xd[base + i] - mu) / sd * scale.getDouble(ch) + bias.getDouble(ch);
        }
      }
    }
    return List.of(Value.wrapDoubles(x.type(), x.shape(), y));
  }

  /** {@code LRN}: {@code x / (bias + alpha / size * sum of squares over nearby channels)^beta}. */
  static List<Value> lrn(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    double alpha = node.getFloat("alpha", 1e-4);
    double beta = node.getFloat("beta", 0.75);
    double bias = node.getFloat("bias", 1.0);
    int size = (int) node.getInt("size");
    int n = (int) x.dim(0);
    int c = (int) x.dim(1);
    int inner = Shapes.product(x.shapeRef(), 2, x.rank());
    double[] xd = x.doublesRef();
    double[] y = new double[xd.length];
    int lo = (size - 1) / 2;
    int hi = size - 1 - lo;
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < inner; i++) {
          double s = 0;
          for (int q = Math.max(0, ch - lo); q <= Math.min(c - 1, ch + hi); q++) {
            double e = xd[(b * c + q) * inner + i];
            s += e * e;
          }
          int k = (b * c + ch) * inner + i;
          y[k] = xd[k] / Math.pow(bias + alpha / size * s, beta);
        }
      }
    }
    return List.of(Value.wrapDoubles(x.type(), x.shape(), y));
  }

  /** {@code MeanVarianceNormalization}: zero mean, unit variance over {@code axes} (default 0, 2, 3). */
  static List<Value> meanVarianceNormalization(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    long[] axes = node.getInts("axes");
    if (axes == null) {
      axes = new long[] {0, 2, 3};
    }
    boolean[] red = new boolean[x.rank()];
    for (long a : axes) {
      red[Shapes.axis(a, x.rank(), "axis")] = true;
    }
    long[] kept = x.shape();
    for (int d = 0; d < kept.length; d++) {
      if (red[d]) {
        kept[d] = 1;
      }
    }
    int groups = Shapes.size(kept);
    int[] target = Shapes.broadcastIndex(kept, x.shapeRef());
    double[] s = new double[groups];
    double[] s2 = new double[groups];
    int per = x.size() / Math.max(groups, 1);
    double[] xd = x.doublesRef();
    for (int k = 0; k < xd.length; k++) {
      s[target[k]] += xd[k];
    }
    for (int k = 0; k < xd.length; k++) {
      double dlt = xd[k] - s[target[k]] / per;
      s2[target[k]] += dlt * dlt;
    }
    double[] y = new double[xd.length];
    for (int k = 0; k < xd.length; k++) {
      int t = target[k];
      y[k] = (xd[k] - s[t] / per) / (Math.sqrt(s2[t] / per) + 1e-9);
    }
    return List.of(Value.wrapDoubles(x.type(), x.shape(), y));
  }

  /**
   * {@code Hardmax}: 1 at the first maximum, 0 elsewhere; over {@code axis} from opset 13, over the
   * input flattened to 2-D at {@code axis} (default 1) before.
   */
  static List<Value> hardmax(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    int r = x.rank();
    int axis = Shapes.axis(node.getInt("axis", node.opset() >= 13 ? -1 : 1), r, "axis");
    int outer;
    int len;
    int inner;
    if (node.opset() >= 13) {
      outer = Shapes.product(x.shapeRef(), 0, axis);
      len = (int) x.dim(axis);
      inner = Shapes.product(x.shapeRef(), axis + 1, r);
    } else {
      outer = Shapes.product(x.shapeRef(), 0, axis);
      len = Shapes.product(x.shapeRef(), axis, r);
      inner = 1;
    }
    double[] y = new double[x.size()];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        int best = 0;
        for (int k = 1; k < len; k++) {
          if (x.getDouble(base + k * inner) > x.getDouble(base + best * inner)) {
            best = k;
          }
        }
        if (len > 0) {
          y[base + best * inner] = 1;
        }
      }
    }
    return List.of(Value.wrapDoubles(x.type(), x.shape(), y));
  }
}
