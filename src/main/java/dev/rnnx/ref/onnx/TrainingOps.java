package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * The optimiser operators of the {@code ai.onnx.preview.training} domain (version 1): one update
 * step of {@code Adagrad}, {@code Momentum} (standard or Nesterov) and {@code Adam} for n tensors at
 * once. Inputs: the learning rate R and the update count T (scalars), then n tensors X, n gradients
 * G and the optimiser's n (or 2n) state tensors; outputs: the n updated tensors, then the updated
 * states. Formulas as the operators' specifications state them, in double precision.
 * ({@code Gradient} needs automatic differentiation and is not supported.)
 */
final class TrainingOps {

  /** The domain these operators belong to. */
  static final String DOMAIN = "ai.onnx.preview.training";

  private TrainingOps() {}

  private static int groups(Node node, List<Value> in, int perTensor) {
    int rest = in.size() - 2;
    if (rest <= 0 || rest % perTensor != 0) {
      throw new IllegalArgumentException("expected R, T and " + perTensor + " inputs per optimised tensor, got "
          + in.size() + " inputs");
    }
    return rest / perTensor;
  }

  private static double[] d(Value v) {
    return v.toDoubleArray();
  }

  static List<Value> adagrad(Node node, List<Value> in) {
    double r0 = node.required(in, 0, "R").getDouble(0);
    long t = node.required(in, 1, "T").getLong(0);
    int n = groups(node, in, 3);
    double decay = node.getFloat("decay_factor", 0);
    double eps = node.getFloat("epsilon", 1e-6);
    double norm = node.getFloat("norm_coefficient", 0);
    double r = r0 / (1 + t * decay);
    List<Value> xs = new ArrayList<>();
    List<Value> hs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Value xv = in.get(2 + i);
      double[] x = d(xv);
      double[] g = d(in.get(2 + n + i));
      double[] h = d(in.get(2 + 2 * n + i));
      for (int k = 0; k < x.length; k++) {
        double gr = norm * x[k] + g[k];
        h[k] += gr * gr;
        x[k] -= r * gr / (Math.sqrt(h[k]) + eps);
      }
      xs.add(Value.wrapDoubles(xv.type(), xv.shape(), x));
      hs.add(Value.wrapDoubles(in.get(2 + 2 * n + i).type(), xv.shape(), h));
    }
    xs.addAll(hs);
    return xs;
  }

  static List<Value> momentum(Node node, List<Value> in) {
    double r = node.required(in, 0, "R").getDouble(0);
    long t = node.required(in, 1, "T").getLong(0);
    int n = groups(node, in, 3);
    double alpha = node.getFloat("alpha", 0);
    double beta = t > 0 ? node.getFloat("beta", 0) : 1;
    double norm = node.getFloat("norm_coefficient", 0);
    String mode = node.getString("mode", "standard");
    if (!mode.equals("standard") && !mode.equals("nesterov")) {
      throw new IllegalArgumentException("mode must be standard or nesterov, got '" + mode + "'");
    }
    List<Value> xs = new ArrayList<>();
    List<Value> vs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Value xv = in.get(2 + i);
      double[] x = d(xv);
      double[] g = d(in.get(2 + n + i));
      double[] v = d(in.get(2 + 2 * n + i));
      for (int k = 0; k < x.length; k++) {
        double gr = norm * x[k] + g[k];
        v[k] = alpha * v[k] + beta * gr;
        x[k] -= mode.equals("nesterov") ? r * (gr + alpha * v[k]) : r * v[k];
      }
      xs.add(Value.wrapDoubles(xv.type(), xv.shape(), x));
      vs.add(Value.wrapDoubles(in.get(2 + 2 * n + i).type(), xv.shape(), v));
    }
    xs.addAll(vs);
    return xs;
  }

  static List<Value> adam(Node node, List<Value> in) {
    double r = node.required(in, 0, "R").getDouble(0);
    long t = node.required(in, 1, "T").getLong(0);
    int n = groups(node, in, 4);
    double alpha = node.getFloat("alpha", 0.9);
    double beta = node.getFloat("beta", 0.999);
    double eps = node.getFloat("epsilon", 1e-6);
    double norm = node.getFloat("norm_coefficient", 0);
    double post = node.getFloat("norm_coefficient_post", 0);
    double ra = t > 0 ? r * Math.sqrt(1 - Math.pow(beta, t)) / (1 - Math.pow(alpha, t)) : r;
    List<Value> xs = new ArrayList<>();
    List<Value> vs = new ArrayList<>();
    List<Value> hs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Value xv = in.get(2 + i);
      double[] x = d(xv);
      double[] g = d(in.get(2 + n + i));
      double[] v = d(in.get(2 + 2 * n + i));
      double[] h = d(in.get(2 + 3 * n + i));
      for (int k = 0; k < x.length; k++) {
        double gr = norm * x[k] + g[k];
        v[k] = alpha * v[k] + (1 - alpha) * gr;
        h[k] = beta * h[k] + (1 - beta) * gr * gr;
        x[k] = (1 - post) * (x[k] - ra * v[k] / (Math.sqrt(h[k]) + eps));
      }
      xs.add(Value.wrapDoubles(xv.type(), xv.shape(), x));
      vs.add(Value.wrapDoubles(in.get(2 + 2 * n + i).type(), xv.shape(), v));
      hs.add(Value.wrapDoubles(in.get(2 + 3 * n + i).type(), xv.shape(), h));
    }
    xs.addAll(vs);
    xs.addAll(hs);
    return xs;
  }
}
