package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * The loss operators: {@code NegativeLogLikelihoodLoss} and {@code SoftmaxCrossEntropyLoss},
 * inputs of shape {@code (N, C)} or {@code (N, C, d1, ..., dk)}, integer targets of shape
 * {@code (N)} or {@code (N, d1, ..., dk)}, an optional class weight of shape {@code (C)},
 * {@code ignore_index}, and {@code reduction} {@code none}, {@code sum} or {@code mean} (the
 * weighted mean: the sum divided by the sum of the weights of the targets not ignored).
 */
final class LossOps {

  private LossOps() {}

  static List<Value> negativeLogLikelihood(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    Value target = node.required(in, 1, "target");
    return List.of(nll(node, x, x.doublesRef(), target, Node.input(in, 2)));
  }

  /** {@code SoftmaxCrossEntropyLoss}: NLL of the log-softmax over axis 1; output 1 the log-probabilities. */
  static List<Value> softmaxCrossEntropy(Node node, List<Value> in) {
    Value x = node.required(in, 0, "scores");
    Value target = node.required(in, 1, "labels");
    if (x.rank() < 2) {
      throw new IllegalArgumentException("scores must have rank 2 or more, got " + Shapes.str(x.shapeRef()));
    }
    long[] s = x.shapeRef();
    int n = (int) s[0];
    int c = (int) s[1];
    int inner = Shapes.product(s, 2, s.length);
    double[] logp = NormalizationOps.softmax(x.doublesRef(), n, c, inner, true);
    List<Value> out = new ArrayList<>();
    out.add(nll(node, x, logp, target, Node.input(in, 2)));
    out.add(Value.wrapDoubles(x.type(), x.shape(), logp));
    return out;
  }

  private static Value nll(Node node, Value x, double[] logp, Value target, Value weight) {
    long[] s = x.shapeRef();
    if (s.length < 2) {
      throw new IllegalArgumentException("input must have rank 2 or more, got " + Shapes.str(s));
    }
    int n = (int) s[0];
    int c = (int) s[1];
    int inner = Shapes.product(s, 2, s.length);
    if (target.size() != n * inner || target.rank() != s.length - 1) {
      throw new IllegalArgumentException("target must have shape (N, d1, ..., dk) for input " + Shapes.str(s)
          + ", got " + Shapes.str(target.shapeRef()));
    }
    if (weight != null && weight.size() != c) {
      throw new IllegalArgumentException("weight must have shape [" + c + "], got " + Shapes.str(weight.shapeRef()));
    }
    boolean hasIgnore = node.has("ignore_index");
    long ignore = node.getInt("ignore_index", 0);
    String reduction = node.getString("reduction", "mean");
    double[] loss = new double[n * inner];
    double weightSum = 0;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < inner; i++) {
        long t = target.getLong(b * inner + i);
        if (hasIgnore && t == ignore) {
          continue;
        }
        if (t < 0 || t >= c) {
          throw new IllegalArgumentException("target " + t + " is out of range [0, " + c + ")");
        }
        double w = weight == null ? 1 : weight.getDouble((int) t);
        loss[b * inner + i] = -logp[(b * c + (int) t) * inner + i] * w;
        weightSum += w;
      }
    }
    switch (reduction) {
      case "none":
        return Value.wrapDoubles(x.type(), target.shape(), loss);
      case "sum":
      case "mean": {
        double sum = 0;
        for (double v : loss) {
          sum += v;
        }
        return Value.wrapDoubles(x.type(), new long[0], new double[] {reduction.equals("sum") ? sum : sum / weightSum});
      }
      default:
        throw new IllegalArgumentException("reduction must be none, sum or mean, got '" + reduction + "'");
    }
  }
}
