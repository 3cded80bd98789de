package dev.rnnx.ref.onnx;

import java.util.List;

/**
 * Sampling of {@code (N, C, H, W)} images at fractional positions: {@code GridSample} (nearest,
 * bilinear, bicubic; zeros, border or reflection padding; {@code align_corners}) and
 * {@code RoiAlign} (average or max of bilinear samples in each bin of each region).
 */
final class SamplingOps {

  private SamplingOps() {}

  private static double denormalize(double v, long size, boolean alignCorners) {
    return alignCorners ? (v + 1) / 2 * (size - 1) : ((v + 1) * size - 1) / 2;
  }

  private static double reflect(double x, double lo, double hi) {
    double range = hi - lo;
    if (x < lo) {
      double dx = lo - x;
      long n = (long) (dx / range);
      double r = dx - n * range;
      return n % 2 == 0 ? lo + r : hi - r;
    }
    if (x > hi) {
      double dx = x - hi;
      long n = (long) (dx / range);
      double r = dx - n * range;
      return n % 2 == 0 ? hi - r : lo + r;
    }
    return x;
  }

  /** One pixel of plane {@code base}, with the padding mode applied to its indices. */
  private static double pixel(double[] x, int base, long h, long w, long r, long c, String padding, double[] border) {
    switch (padding) {
      case "zeros":
        if (r < 0 || r >= h || c < 0 || c >= w) {
          return 0;
        }
        break;
      case "border":
        r = Math.max(0, Math.min(h - 1, r));
        c = Math.max(0, Math.min(w - 1, c));
        break;
      default:
        r = (long) reflect(r, border[1], border[3]);
        c = (long) reflect(c, border[0], border[2]);
        r = Math.max(0, Math.min(h - 1, r));
        c = Math.max(0, Math.min(w - 1, c));
    }
    return x[(int) (base + r * w + c)];
  }

  private static double cubic(double s) {
    return ResizeOps.cubic(s, -0.75);
  }

  static List<Value> gridSample(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value grid = node.required(in, 1, "grid");
    if (x.rank() != 4 || grid.rank() != 4 || grid.dim(3) != 2 || grid.dim(0) != x.dim(0)) {
      throw new IllegalArgumentException("X must be (N, C, H, W) and grid (N, H_out, W_out, 2), got "
          + Shapes.str(x.shapeRef()) + " and " + Shapes.str(grid.shapeRef()));
    }
    String mode = node.getString("mode", "bilinear");
    String padding = node.getString("padding_mode", "zeros");
    boolean align = node.getInt("align_corners", 0) != 0;
    long n = x.dim(0);
    long c = x.dim(1);
    long h = x.dim(2);
    long w = x.dim(3);
    long ho = grid.dim(1);
    long wo = grid.dim(2);
    double[] border = align ? new double[] {0, 0, w - 1, h - 1} : new double[] {-0.5, -0.5, w - 0.5, h - 0.5};
    double[] xd = x.doublesRef();
    double[] y = new double[(int) (n * c * ho * wo)];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < ho; i++) {
        for (int j = 0; j < wo; j++) {
          int g = (int) (((b * ho + i) * wo + j) * 2);
          double px = denormalize(grid.getDouble(g), w, align);
          double py = denormalize(grid.getDouble(g + 1), h, align);
          if (mode.equals("nearest")) {
            px = Math.rint(px);
            py = Math.rint(py);
          }
          if (!mode.equals("bicubic")) {
            if (padding.equals("border")) {
              px = Math.max(0, Math.min(w - 1, px));
              py = Math.max(0, Math.min(h - 1, py));
            } else if (padding.equals("reflection")) {
              px = reflect(px, border[0], border[2]);
              py = reflect(py, border[1], border[3]);
            }
          }
          for (int ch = 0; ch < c; ch++) {
            int base = (int) ((b * c + ch) * h * w);
            double v;
            switch (mode) {
              case "nearest":
                v = pixel(xd, base, h, w, (long) py, (long) px, padding, border);
                break;
              case "bilinear": {
                long x1 = (long) Math.floor(px);
                long y1 = (long) Math.floor(py);
                double dx = px - x1;
                double dy = py - y1;
                v = (1 - dy) * ((1 - dx) * pixel(xd, base, h, w, y1, x1, padding, border)
                    + dx * pixel(xd, base, h, w, y1, x1 + 1, padding, border))
                    + dy * ((1 - dx) * pixel(xd, base, h, w, y1 + 1, x1, padding, border)
                    + dx * pixel(xd, base, h, w, y1 + 1, x1 + 1, padding, border));
                break;
              }
              case "bicubic": {
                long x0 = (long) Math.floor(px) - 1;
                long y0 = (long) Math.floor(py) - 1;
                double tx = px - Math.floor(px);
                double ty = py - Math.floor(py);
                double[] cx = {cubic(tx + 1), cubic(tx), cubic(1 - tx), cubic(2 - tx)};
                double[] cy = {cubic(ty + 1), cubic(ty), cubic(1 - ty), cubic(2 - ty)};
                v = 0;
                for (int p = 0; p < 4; p++) {
                  for (int q = 0; q < 4; q++) {
                    v += cy[p] * cx[q] * pixel(xd, base, h, w, y0 + p, x0 + q, padding, border);
                  }
                }
                break;
              }
              default:
                throw new IllegalArgumentException("mode must be bilinear, nearest or bicubic, got '" + mode + "'");
            }
            y[(int) (((b * c + ch) * ho + i) * wo + j)] = v;
          }
        }
      }
    }
    return List.of(Value.wrapDoubles(x.type(), new long[] {n, c, ho, wo}, y));
  }

  /** {@code RoiAlign}. */
  static List<Value> roiAlign(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value rois = node.required(in, 1, "rois");
    Value idx = node.required(in, 2, "batch_indices");
    String mode = node.getString("mode", "avg");
    int oh = (int) node.getInt("output_height", 1);
    int ow = (int) node.getInt("output_width", 1);
    int ratio = (int) node.getInt("sampling_ratio", 0);
    double scale = node.getFloat("spatial_scale", 1.0);
    boolean halfPixel = node.opset() >= 16
        && node.getString("coordinate_transformation_mode", "half_pixel").equals("half_pixel");
    long c = x.dim(1);
    long h = x.dim(2);
    long w = x.dim(3);
    int num = (int) rois.dim(0);
    double[] xd = x.doublesRef();
    double[] y = new double[(int) (num * c * oh * ow)];
    double offset = halfPixel ? 0.5 : 0;
    for (int r = 0; r < num; r++) {
      long b = idx.getLong(r);
      double sw = rois.getDouble(r * 4) * scale - offset;
      double sh = rois.getDouble(r * 4 + 1) * scale - offset;
      double rw = rois.getDouble(r * 4 + 2) * scale - offset - sw;
      double rh = rois.getDouble(r * 4 + 3) * scale - offset - sh;
      if (!halfPixel) {
        rw = Math.max(rw, 1);
        rh = Math.max(rh, 1);
      }
      double bh = rh / oh;
      double bw = rw / ow;
      int gh = ratio > 0 ? ratio : (int) Math.ceil(rh / oh);
      int gw = ratio > 0 ? ratio : (int) Math.ceil(rw / ow);
      double count = Math.max(gh * gw, 1);
      for (int ch = 0; ch < c; ch++) {
        int base = (int) ((b * c + ch) * h * w);
        for (int ph = 0; ph < oh; ph++) {
          for (int pw = 0; pw < ow; pw++) {
            double acc = mode.equals("max") ? Double.NEGATIVE_INFINITY : 0;
            for (int iy = 0; iy < gh; iy++) {
              double yy = sh + ph * bh + (iy + 0.5) * bh / gh;
              for (int ix = 0; ix < gw; ix++) {
                double xx = sw + pw * bw + (ix + 0.5) * bw / gw;
                double[] s = bilinear(xd, base, h, w, yy, xx);
                if (mode.equals("max")) {
                  acc = Math.max(acc, Math.max(Math.max(s[0], s[1]), Math.max(s[2], s[3])));
                } else {
                  acc += s[0] + s[1] + s[2] + s[3];
                }
              }
            }
            y[(int) (((r * c + ch) * oh + ph) * ow + pw)] = mode.equals("max") ? acc : acc / count;
          }
        }
      }
    }
    return List.of(Value.wrapDoubles(x.type(), new long[] {num, c, oh, ow}, y));
  }

  /** The four weighted corner values of a bilinear sample (zeros outside [-1, size]). */
  private static double[] bilinear(double[] x, int base, long h, long w, double yy, double xx) {
    if (yy < -1 || yy > h || xx < -1 || xx > w) {
      return new double[4];
    }
    yy = Math.max(yy, 0);
    xx = Math.max(xx, 0);
    long yl = (long) yy;
    long xl = (long) xx;
    long yh;
    long xh;
    if (yl >= h - 1) {
      yh = yl = h - 1;
      yy = yl;
    } else {
      yh = yl + 1;
    }
    if (xl >= w - 1) {
      xh = xl = w - 1;
      xx = xl;
    } else {
      xh = xl + 1;
    }
    double ly = yy - yl;
    double lx = xx - xl;
    double hy = 1 - ly;
    double hx = 1 - lx;
    return new double[] {hy * hx * x[(int) (base + yl * w + xl)], hy * lx * x[(int) (base + yl * w + xh)],
        ly * hx * x[(int) (base + yh * w + xl)], ly * lx * x[(int) (base + yh * w + xh)]};
  }
}
