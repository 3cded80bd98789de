package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code Resize} (opsets 10 to 13: nearest, linear and cubic interpolation along every axis, each
 * coordinate transformation mode, each nearest mode, {@code exclude_outside},
 * {@code extrapolation_value}) and {@code Upsample} (scales as an attribute before opset 9, an
 * input from 9). Resize at opset 10 and Upsample map coordinates asymmetrically
 * ({@code x / scale}) and take the floor for nearest.
 *
 * <p>Interpolation is separable: for each axis and output index a few (input index, weight) taps
 * are computed; an output element is the sum over the product of its axes' taps. Indices outside
 * the input are clamped to its edge, except where {@code exclude_outside} drops them (weights
 * renormalised) and in {@code tf_crop_and_resize}, where a coordinate outside the input gives
 * {@code extrapolation_value}.
 */
final class ResizeOps {

  private ResizeOps() {}

  /** One axis' taps: for output index o, {@code idx[o]} and {@code w[o]}; {@code outside[o]} extrapolates. */
  private static final class Taps {
    int[][] idx;
    double[][] w;
    boolean[] outside;
  }

  static List<Value> resize(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    int r = x.rank();
    double[] scales = null;
    long[] sizes = null;
    double[] roi = null;
    boolean legacy = node.opset() < 11;
    if (legacy) {
      scales = node.required(in, 1, "scales").toDoubleArray();
    } else {
      Value roiV = Node.input(in, 1);
      Value sc = Node.input(in, 2);
      Value sz = Node.input(in, 3);
      roi = roiV == null || roiV.size() == 0 ? null : roiV.toDoubleArray();
      if (sc != null && sc.size() > 0) {
        scales = sc.toDoubleArray();
      } else if (sz != null && sz.size() > 0) {
        sizes = sz.toLongArray();
      } else {
        throw new IllegalArgumentException("one of scales and sizes must be given");
      }
    }
    String mode = node.getString("mode", "nearest");
    String ctm = legacy ? "asymmetric" : node.getString("coordinate_transformation_mode", "half_pixel");
    String nearest = legacy ? "floor" : node.getString("nearest_mode", "round_prefer_floor");
    return List.of(interpolate(node, x, scales, sizes, roi, mode, ctm, nearest));
  }

  static List<Value> upsample(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    double[] scales = node.opset() < 9 ? node.getFloats("scales") : node.required(in, 1, "scales").toDoubleArray();
    if (scales == null) {
      throw new IllegalArgumentException("required attribute 'scales' is missing");
    }
    String mode = node.getString("mode", "nearest");
    if (mode.equals("bilinear")) {
      mode = "linear";
    }
    return List.of(interpolate(node, x, scales, null, null, mode, "asymmetric", "floor"));
  }

  private static Value interpolate(Node node, Value x, double[] scales, long[] sizes, double[] roi, String mode,
      String ctm, String nearest) {
    int r = x.rank();
    if ((scales != null && scales.length != r) || (sizes != null && sizes.length != r)) {
      throw new IllegalArgumentException("scales or sizes must hold one value per dimension of X "
          + Shapes.str(x.shapeRef()));
    }
    long[] out = new long[r];
    double[] sc = new double[r];
    for (int d = 0; d < r; d++) {
      if (sizes != null) {
        out[d] = sizes[d];
        sc[d] = (double) sizes[d] / x.dim(d);
      } else {
        sc[d] = scales[d];
        out[d] = (long) Math.floor(x.dim(d) * scales[d]);
      }
    }
    double a = node.getFloat("cubic_coeff_a", -0.75);
    boolean exclude = node.getInt("exclude_outside", 0) != 0;
    double extrapolation = node.getFloat("extrapolation_value", 0);
    Taps[] taps = new Taps[r];
    for (int d = 0; d < r; d++) {
      double start = roi == null ? 0 : roi[d];
      double end = roi == null ? 1 : roi[d + r];
      taps[d] = taps((int) x.dim(d), (int) out[d], sc[d], start, end, mode, ctm, nearest, a, exclude);
    }
    int[] inStr = Shapes.strides(x.shapeRef());
    double[] xd = x.toDoubleArray();
    double[] y = new double[Shapes.size(out)];
    int[] pos = new int[r];
    int[] pick = new int[r];
    for (int k = 0; k < y.length; k++) {
      Windows.unravel(k, out, pos);
      boolean outside = false;
      for (int d = 0; d < r; d++) {
        outside |= taps[d].outside[pos[d]];
      }
      if (outside) {
        y[k] = extrapolation;
        continue;
      }
      // sum over the product of the axes' taps
      double s = 0;
      java.util.Arrays.fill(pick, 0);
      while (true) {
        double w = 1;
        int off = 0;
        for (int d = 0; d < r; d++) {
          w *= taps[d].w[pos[d]][pick[d]];
          off += taps[d].idx[pos[d]][pick[d]] * inStr[d];
        }
        s += w * xd[off];
        int d = r - 1;
        while (d >= 0 && ++pick[d] == taps[d].idx[pos[d]].length) {
          pick[d] = 0;
          d--;
        }
        if (d < 0) {
          break;
        }
      }
      y[k] = s;
    }
    return Value.ofNumbers(x.type(), out, y);
  }

  /**
   * The input coordinate of output index o. {@code outLen} is the resized length as ONNX's reference
   * takes it: {@code in * scale} unrounded when scales are given.
   */
  private static double original(int o, int len, double outLen, double scale, double start, double end, String ctm) {
    switch (ctm) {
      case "half_pixel":
        return (o + 0.5) / scale - 0.5;
      case "pytorch_half_pixel":
        return outLen > 1 ? (o + 0.5) / scale - 0.5 : 0;
      case "align_corners":
        return outLen == 1 ? 0 : o * (len - 1.0) / (outLen - 1.0);
      case "asymmetric":
        return o / scale;
      case "tf_half_pixel_for_nn":
        return (o + 0.5) / scale;
      case "tf_crop_and_resize":
        return outLen > 1 ? start * (len - 1) + o * (end - start) * (len - 1) / (outLen - 1)
            : 0.5 * (start + end) * (len - 1);
      default:
        throw new IllegalArgumentException("unknown coordinate_transformation_mode '" + ctm + "'");
    }
  }

  private static Taps taps(int len, int outLen, double scale, double start, double end, String mode, String ctm,
      String nearest, double a, boolean exclude) {
    Taps t = new Taps();
    t.idx = new int[outLen][];
    t.w = new double[outLen][];
    t.outside = new boolean[outLen];
    for (int o = 0; o < outLen; o++) {
      double xo = original(o, len, len * scale, scale, start, end, ctm);
      t.outside[o] = ctm.equals("tf_crop_and_resize") && (xo < 0 || xo > len - 1);
      List<int[]> idx = new ArrayList<>();
      List<Double> w = new ArrayList<>();
      switch (mode) {
        case "nearest": {
          double f = Math.floor(xo);
          double frac = xo - f;
          long i;
          switch (nearest) {
            case "round_prefer_floor":
              i = frac == 0.5 ? (long) f : Math.round(xo);
              break;
            case "round_prefer_ceil":
              i = frac == 0.5 ? (long) f + 1 : Math.round(xo);
              break;
            case "floor":
              i = (long) f;
              break;
            case "ceil":
              i = (long) Math.ceil(xo);
              break;
            default:
              throw new IllegalArgumentException("unknown nearest_mode '" + nearest + "'");
          }
          idx.add(new int[] {clamp(i, len)});
          w.add(1.0);
          break;
        }
        case "linear": {
          double c = Math.max(0, Math.min(len - 1, xo));
          long i0 = (long) Math.floor(c);
          double f = c - i0;
          idx.add(new int[] {clamp(i0, len)});
          w.add(1 - f);
          idx.add(new int[] {clamp(i0 + 1, len)});
          w.add(f);
          break;
        }
        case "cubic": {
          long i0 = (long) Math.floor(xo);
          double f = xo - i0;
          double[] c = {cubic(f + 1, a), cubic(f, a), cubic(1 - f, a), cubic(2 - f, a)};
          double total = 0;
          for (int q = 0; q < 4; q++) {
            long i = i0 - 1 + q;
            if (exclude && (i < 0 || i >= len)) {
              continue;
            }
            idx.add(new int[] {clamp(i, len)});
            w.add(c[q]);
            total += c[q];
          }
          if (exclude) {
            for (int q = 0; q < w.size(); q++) {
              w.set(q, w.get(q) / total);
            }
          }
          break;
        }
        default:
          throw new IllegalArgumentException("mode must be nearest, linear or cubic, got '" + mode + "'");
      }
      t.idx[o] = idx.stream().mapToInt(v -> v[0]).toArray();
      t.w[o] = w.stream().mapToDouble(Double::doubleValue).toArray();
    }
    return t;
  }

  private static int clamp(long i, int len) {
    return (int) Math.max(0, Math.min(len - 1, i));
  }

  /** Keys' cubic convolution kernel with coefficient a, at distance s. */
  static double cubic(double s, double a) {
    double x = Math.abs(s);
    if (x <= 1) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }
    if (x < 2) {
      return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
    return 0;
  }
}
