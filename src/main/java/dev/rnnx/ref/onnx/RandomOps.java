package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random operators: {@code RandomNormal}, {@code RandomUniform}, their {@code *Like} forms,
 * {@code Multinomial}, {@code Bernoulli}, and {@code Dropout} (random only in training mode). Their
 * values come from a {@link SplittableRandom} seeded by the {@code seed} attribute (the same seed
 * gives the same values), or from a fresh seed without it. They are not the values numpy or ONNX
 * Runtime draw: tests check their properties (shape, type, range, seed determinism).
 */
final class RandomOps {

  private RandomOps() {}

  /** The generator of a node: seeded by its {@code seed} (a float, or an int for Dropout), else fresh. */
  private static SplittableRandom rng(Node node) {
    for (ai.onnx.proto.OnnxMl.AttributeProto a : node.proto().getAttributeList()) {
      if (a.getName().equals("seed")) {
        return new SplittableRandom(a.getType() == ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT ? a.getI()
            : Double.doubleToLongBits(a.getF()));
      }
    }
    return new SplittableRandom();
  }

  private static DataType dtype(Node node, DataType dflt) {
    return node.has("dtype") ? DataType.fromOnnx((int) node.getInt("dtype")) : dflt;
  }

  private static long[] shapeAttr(Node node) {
    long[] s = node.getInts("shape");
    if (s == null) {
      throw new IllegalArgumentException("required attribute 'shape' is missing");
    }
    return s;
  }

  private static List<Value> normal(Node node, DataType type, long[] shape) {
    double mean = node.getFloat("mean", 0);
    double scale = node.getFloat("scale", 1);
    SplittableRandom r = rng(node);
    double[] d = new double[Shapes.size(shape)];
    for (int i = 0; i < d.length; i++) {
      // Box-Muller
      double u1 = 1 - r.nextDouble();
      double u2 = r.nextDouble();
      d[i] = mean + scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
    return List.of(Value.ofNumbers(type, shape, d));
  }

  private static List<Value> uniform(Node node, DataType type, long[] shape) {
    double low = node.getFloat("low", 0);
    double high = node.getFloat("high", 1);
    SplittableRandom r = rng(node);
    double[] d = new double[Shapes.size(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = low + (high - low) * r.nextDouble();
    }
    return List.of(Value.ofNumbers(type, shape, d));
  }

  static List<Value> randomNormal(Node node, List<Value> in) {
    return normal(node, dtype(node, DataType.FLOAT), shapeAttr(node));
  }

  static List<Value> randomUniform(Node node, List<Value> in) {
    return uniform(node, dtype(node, DataType.FLOAT), shapeAttr(node));
  }

  static List<Value> randomNormalLike(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    return normal(node, dtype(node, x.type()), x.shape());
  }

  static List<Value> randomUniformLike(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    return uniform(node, dtype(node, x.type()), x.shape());
  }

  /** {@code Bernoulli}: 1 with the input's probability, else 0. */
  static List<Value> bernoulli(Node node, List<Value> in) {
    Value p = node.required(in, 0, "input");
    SplittableRandom r = rng(node);
    double[] d = new double[p.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextDouble() < p.getDouble(i) ? 1 : 0;
    }
    return List.of(Value.ofNumbers(dtype(node, p.type()), p.shape(), d));
  }

  /** {@code Multinomial}: {@code sample_size} class indices per batch row, drawn from the row's unnormalised log-probabilities. */
  static List<Value> multinomial(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    if (x.rank() != 2) {
      throw new IllegalArgumentException("input must be (batch, classes), got " + Shapes.str(x.shapeRef()));
    }
    int batch = (int) x.dim(0);
    int classes = (int) x.dim(1);
    int samples = (int) node.getInt("sample_size", 1);
    SplittableRandom r = rng(node);
    long[] out = new long[batch * samples];
    for (int b = 0; b < batch; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, x.getDouble(b * classes + c));
      }
      double[] cum = new double[classes];
      double total = 0;
      for (int c = 0; c < classes; c++) {
        total += Math.exp(x.getDouble(b * classes + c) - max);
        cum[c] = total;
      }
      for (int s = 0; s < samples; s++) {
        double u = r.nextDouble() * total;
        int c = 0;
        while (c < classes - 1 && cum[c] <= u) {
          c++;
        }
        out[b * samples + s] = c;
      }
    }
    return List.of(Value.wrapLongs(dtype(node, DataType.INT32), new long[] {batch, samples}, out));
  }

  /**
   * {@code Dropout}: the identity with an all-true mask unless in training mode (opset 12: the
   * {@code training_mode} input; before 7: {@code is_test = 0}); in training, each element is kept
   * with probability {@code 1 - ratio} and scaled by {@code 1 / (1 - ratio)}.
   */
  static List<Value> dropout(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    double ratio;
    boolean training;
    if (node.opset() >= 12) {
      Value rv = Node.input(in, 1);
      Value tv = Node.input(in, 2);
      ratio = rv == null ? 0.5 : rv.getDouble(0);
      training = tv != null && tv.getLong(0) != 0;
    } else {
      ratio = node.getFloat("ratio", 0.5);
      training = node.opset() < 7 && node.getInt("is_test", 0) == 0;
    }
    if (ratio < 0 || ratio >= 1) {
      throw new IllegalArgumentException("ratio must be in [0, 1), got " + ratio);
    }
    double[] y = x.toDoubleArray();
    long[] mask = new long[y.length];
    SplittableRandom r = training && ratio > 0 ? rng(node) : null;
    for (int i = 0; i < y.length; i++) {
      boolean keep = r == null || r.nextDouble() >= ratio;
      mask[i] = keep ? 1 : 0;
      y[i] = keep ? (r == null ? y[i] : y[i] / (1 - ratio)) : 0;
    }
    List<Value> out = new ArrayList<>();
    out.add(Value.ofNumbers(x.type(), x.shape(), y));
    // the mask is BOOL from opset 10, of the input's type before
    double[] m = new double[mask.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = mask[i];
    }
    out.add(Value.ofNumbers(node.opset() >= 10 ? DataType.BOOL : x.type(), x.shape(), m));
    return out;
  }
}
