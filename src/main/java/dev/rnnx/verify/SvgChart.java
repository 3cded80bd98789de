package dev.rnnx.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The inline SVG charts of {@code report.html}: an error histogram over log-spaced bins, errors
 * against a linear x axis as points or as a line. Error axes are logarithmic, their range taken
 * from the data and the tolerances (so both are in view), labelled every decade (or every second
 * one); x axes carry "nice" ticks. Tolerances are drawn as lines of class {@code tol}, each
 * labelled (e.g. {@code atol 1e-05}).
 */
final class SvgChart {

  static final int W = 420;
  static final int H = 230;
  private static final int LEFT = 50;
  private static final int RIGHT = 12;
  private static final int TOP = 20;
  private static final int BOTTOM = 38;
  private static final String BLUE = "#4a78b5";
  private static final String RED = "#b00020";

  /**
   * A tolerance drawn across the chart.
   *
   * @param label what it is, e.g. {@code atol} or {@code rtol·max|ref|}
   * @param value the error it stands for
   * @param dashed whether it is drawn dashed (a bound that depends on the reference's values)
   */
  record Tolerance(String label, double value, boolean dashed) {}

  private SvgChart() {}

  /**
   * A histogram of absolute errors in {@link ErrorStats#HISTOGRAM_BINS} (0, below 1e-12, one per
   * decade, 1 and above, NaN), the tolerances as vertical lines at their decade position.
   */
  static String histogram(long[] counts, List<Tolerance> tolerances) {
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    int n = counts.length;
    double bw = (W - LEFT - RIGHT) / (double) n;
    StringBuilder sb = open();
    sb.append(axes());
    for (long t : List.of(0L, max / 2, max)) {
      if (t == max / 2 && (max < 4)) {
        continue;
      }
      double y = H - BOTTOM - (H - BOTTOM - TOP) * (double) t / max;
      sb.append(text(LEFT - 4, y + 3, "end", String.valueOf(t))).append(grid(y));
    }
    for (int i = 0; i < n; i++) {
      double h = (H - BOTTOM - TOP) * (double) counts[i] / max;
      double x = LEFT + i * bw;
      sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
          + "<title>%s: %d</title></rect>", x + 1, H - BOTTOM - h, bw - 2, h, i >= n - 2 ? RED : BLUE,
          HtmlReport.esc(ErrorStats.HISTOGRAM_BINS[i]), counts[i]));
      String label = i == 0 ? "0" : i == 1 ? "<-12" : i == n - 2 ? "\u22650" : i == n - 1 ? "NaN" : String.valueOf(i - 14);
      if (i <= 1 || i >= n - 2 || (i > 2 && (i - 14) % 2 == 0)) {
        sb.append(text(x + bw / 2, H - BOTTOM + 12, "middle", label));
      }
    }
    for (Tolerance t : tolerances) {
      double lg = Math.log10(t.value());
      if (!(t.value() > 0) || !Double.isFinite(lg)) {
        continue;
      }
      double x = LEFT + (Math.max(-12, Math.min(0, lg)) + 14) * bw;
      sb.append(tolLine(t, x, TOP, x, H - BOTTOM)).append(text(x + 3, TOP + 10 + 11 * tolerances.indexOf(t), "start",
          t.label() + " " + sci(t.value())).replace("<text ", "<text class=\"tl\" "));
    }
    sb.append(text((LEFT + W - RIGHT) / 2.0, H - 6, "middle", "log10 |error| (bin's lower edge)"));
    sb.append(text(LEFT, TOP - 7, "start", "elements"));
    return sb.append("</svg>").toString();
  }

  /** Points {@code (x, error)}: x linear from 0 with ticks, error on a log axis that shows the data and tolerances. */
  static String scatter(List<double[]> points, String xLabel, String yLabel, List<Tolerance> tolerances) {
    double maxX = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
    LogAxis ya = LogAxis.of(points.stream().mapToDouble(p -> p[1]).toArray(), tolerances);
    StringBuilder sb = frame(ya, maxX, xLabel, yLabel, tolerances);
    for (double[] p : points) {
      sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\" fill-opacity=\"0.75\">"
          + "<title>length %d: %s</title></circle>", x(p[0], maxX), ya.y(p[1]), colour(p[1], tolerances), (int) p[0],
          HtmlReport.num(p[1])));
    }
    return sb.append("</svg>").toString();
  }

  /** One series {@code y[i]} against {@code i}: a line on a log axis, points above the lowest tolerance in red. */
  static String line(double[] y, String name, String xLabel, String yLabel, List<Tolerance> tolerances) {
    double maxX = Math.max(1, y.length - 1);
    LogAxis ya = LogAxis.of(y, tolerances);
    StringBuilder sb = frame(ya, maxX, xLabel, yLabel, tolerances);
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < y.length; i++) {
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i, maxX), ya.y(y[i])));
    }
    sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\">"
        + "<title>%s</title></polyline>", BLUE, pts.toString().strip(), HtmlReport.esc(name)));
    for (int i = 0; i < y.length; i++) {
      if (!colour(y[i], tolerances).equals(BLUE)) {
        sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\"><title>step %d: %s"
            + "</title></circle>", x(i, maxX), ya.y(y[i]), RED, i, HtmlReport.num(y[i])));
      }
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder frame(LogAxis ya, double maxX, String xLabel, String yLabel, List<Tolerance> tolerances) {
    StringBuilder sb = open();
    for (int e : ya.ticks()) {
      double y = ya.y(Math.pow(10, e));
      sb.append(grid(y)).append(text(LEFT - 4, y + 3, "end", e == ya.lo() && ya.hasZero() ? "0" : "1e" + e));
    }
    sb.append(axes());
    for (double t : xTicks(maxX)) {
      double x = x(t, maxX);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>", x,
          H - BOTTOM, x, H - BOTTOM + 4)).append(text(x, H - BOTTOM + 14, "middle", plain(t)));
    }
    int k = 0;
    for (Tolerance t : tolerances) {
      if (t.value() > 0 && Double.isFinite(t.value())) {
        double y = ya.y(t.value());
        boolean right = k++ % 2 == 0;
        sb.append(tolLine(t, LEFT, y, W - RIGHT, y)).append(text(right ? W - RIGHT - 2 : LEFT + 4, y - 3,
            right ? "end" : "start", t.label() + " " + sci(t.value())).replace("<text ", "<text class=\"tl\" "));
      }
    }
    sb.append(text((LEFT + W - RIGHT) / 2.0, H - 6, "middle", xLabel));
    sb.append(text(LEFT, TOP - 7, "start", yLabel + " (log scale)"));
    return sb;
  }

  /** Red when above every tolerance (it fails whatever the reference value), blue otherwise. */
  private static String colour(double v, List<Tolerance> tolerances) {
    double bound = tolerances.stream().mapToDouble(Tolerance::value).max().orElse(Double.POSITIVE_INFINITY);
    return !(v <= bound) ? RED : BLUE;
  }

  /** Up to about eight ticks at 1, 2 or 5 times a power of ten, from 0 to {@code max}. */
  static List<Double> xTicks(double max) {
    double raw = Math.max(max, 1) / 6;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    step = Math.max(1, step);
    List<Double> ticks = new ArrayList<>();
    for (double t = 0; t <= max + 1e-9; t += step) {
      ticks.add(t);
    }
    return ticks;
  }

  private static StringBuilder open() {
    return new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" role=\"img\">", W, H, W, H));
  }

  private static String axes() {
    return String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/><line x1=\"%d\" y1=\"%d\""
        + " x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, LEFT, TOP, LEFT, H - BOTTOM);
  }

  private static String grid(double y) {
    return String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, y,
        W - RIGHT, y);
  }

  private static String tolLine(Tolerance t, double x1, double y1, double x2, double y2) {
    return String.format(Locale.ROOT, "<line class=\"tol\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d97a00\""
        + " stroke-width=\"1.4\"%s><title>%s %s</title></line>", x1, y1, x2, y2,
        t.dashed() ? " stroke-dasharray=\"5,3\"" : "", HtmlReport.esc(t.label()), sci(t.value()));
  }

  private static String text(double x, double y, String anchor, String s) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor,
        HtmlReport.esc(s));
  }

  private static double x(double v, double maxX) {
    return LEFT + 4 + (W - LEFT - RIGHT - 8) * v / maxX;
  }

  static String sci(double v) {
    return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
  }

  private static String plain(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * A logarithmic error axis over whole decades {@code [lo, hi]}: the smallest decade holding the
   * smallest positive value or tolerance (one lower when there are zeros, which are drawn there),
   * the largest holding the largest finite one; at least two decades.
   */
  record LogAxis(int lo, int hi, boolean hasZero) {

    static LogAxis of(double[] values, List<Tolerance> tolerances) {
      double min = Double.POSITIVE_INFINITY;
      double max = 0;
      boolean zero = false;
      List<Double> all = new ArrayList<>();
      for (double v : values) {
        all.add(v);
      }
      tolerances.forEach(t -> all.add(t.value()));
      for (double v : all) {
        if (v == 0) {
          zero = true;
        } else if (v > 0 && Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      if (max == 0) {
        return new LogAxis(-12, 0, zero);
      }
      int lo = (int) Math.floor(Math.log10(min) - 0.1);
      int hi = (int) Math.ceil(Math.log10(max) + 0.25);
      if (zero) {
        lo--;
      }
      if (hi - lo < 2) {
        hi = lo + 2;
      }
      return new LogAxis(lo, hi, zero);
    }

    /** Decades labelled: every one up to eight decades, every second (or third) beyond. */
    List<Integer> ticks() {
      int step = hi - lo <= 8 ? 1 : hi - lo <= 16 ? 2 : 3;
      List<Integer> t = new ArrayList<>();
      for (int e = hi; e >= lo; e -= step) {
        t.add(0, e);
      }
      if (t.get(0) != lo && hasZero) {
        t.add(0, lo);
      }
      return t;
    }

    /** The y coordinate of an error: zeros at the bottom, non-finite errors at the top. */
    double y(double v) {
      double lg = Double.isNaN(v) || v == Double.POSITIVE_INFINITY ? hi : v <= 0 ? lo : Math.max(lo, Math.min(hi, Math.log10(v)));
      return H - BOTTOM - (H - BOTTOM - TOP) * (lg - lo) / (hi - lo);
    }
  }
}
