package dev.rnnx.verify;

import java.util.Arrays;

/**
 * The error statistics of one output of one case, Polygraphy's and more.
 *
 * <p>Errors are computed in double precision from the two float32 tensors: the absolute error
 * {@code |c − r|} and the relative error {@code |c − r| / |r|}, where a reference value of exactly
 * 0 is replaced by 2.22e-16 (Polygraphy's epsilon, so a non-zero error against 0 gets an enormous
 * relative error). An infinity matched by the same infinity has error NaN, or 0 when the criterion
 * says {@link Criterion#infinitiesCompareEqual()}; a NaN on either side has error NaN.
 *
 * @param maxAbs largest absolute error (NaN when any error is NaN, as NumPy's {@code max})
 * @param meanAbs mean absolute error
 * @param medianAbs median absolute error
 * @param quantileAbs the criterion's quantile of the absolute errors
 * @param maxRel largest relative error
 * @param meanRel mean relative error
 * @param medianRel median relative error
 * @param quantileRel the criterion's quantile of the relative errors
 * @param quantile the quantile used, e.g. 0.99
 * @param maxUlp largest distance in float32 units in the last place between the candidate and the
 *     reference rounded to float32, over elements finite on both sides (0 when there are none)
 * @param medianUlp median of those distances
 * @param cosine cosine similarity of the two tensors as vectors (finite elements only; 1 when both
 *     are zero, 0 when only one is)
 * @param requiredAtol the smallest {@code atol} that passes with {@code rtol = 0} (the largest
 *     absolute error, or under a statistic other than elementwise that statistic's absolute
 *     value); infinite when a NaN error can pass no tolerance
 * @param requiredRtol the smallest {@code rtol} that passes with {@code atol = 0}
 * @param requiredAtolAtRtol the smallest {@code atol} that passes together with the criterion's
 *     {@code rtol}
 * @param requiredRtolAtAtol the smallest {@code rtol} that passes together with the criterion's
 *     {@code atol}
 * @param histogram counts of absolute errors in {@link #HISTOGRAM_BINS} bins
 * @param argmaxAgreement for a classifier output (last axis = classes): the fraction of rows whose
 *     largest class agrees; NaN when not computed
 * @param topKAgreement the fraction of rows whose {@code k} largest classes are the same set; NaN
 *     when not computed
 * @param topK the {@code k} of {@code topKAgreement} (0 when not computed)
 * @param sequenceAgreement for a per-step classifier {@code [batch, time, classes]} (a tagger or a
 *     generator's tokens): the fraction of sequences whose argmax token agrees at every step; NaN
 *     when not computed
 * @param perStep for an output of rank 3 or more ({@code [batch, time, …]}): the largest absolute
 *     error at each time step, over the batch and the remaining axes (error growth along the
 *     sequence); empty otherwise
 */
public record ErrorStats(
    double maxAbs, double meanAbs, double medianAbs, double quantileAbs,
    double maxRel, double meanRel, double medianRel, double quantileRel, double quantile,
    long maxUlp, double medianUlp, double cosine,
    double requiredAtol, double requiredRtol, double requiredAtolAtRtol, double requiredRtolAtAtol,
    long[] histogram,
    double argmaxAgreement, double topKAgreement, int topK, double sequenceAgreement, double[] perStep) {

  /** Polygraphy's replacement for a reference value of 0 in the relative error. */
  public static final double EPSILON = 2.220446049250313e-16;

  /**
   * The absolute-error histogram's bins: exactly 0; (0, 1e-12); [1e-12, 1e-11) … [1e-1, 1); [1, ∞);
   * NaN (an error that is not a number).
   */
  public static final String[] HISTOGRAM_BINS = histogramLabels();

  /** Copies the arrays. */
  public ErrorStats {
    histogram = histogram.clone();
    perStep = perStep == null ? new double[0] : perStep.clone();
  }

  @Override
  public long[] histogram() {
    return histogram.clone();
  }

  @Override
  public double[] perStep() {
    return perStep.clone();
  }

  /** The absolute error of one element pair under the criterion's infinity rule. */
  static double absError(float reference, float candidate, boolean infinitiesCompareEqual) {
    if (infinitiesCompareEqual && Float.isInfinite(reference) && reference == candidate) {
      return 0;
    }
    return Math.abs((double) candidate - (double) reference);
  }

  /** Polygraphy's relative error: {@code abs / |r|}, with 2.22e-16 for {@code r = 0}. */
  static double relError(double abs, float reference) {
    double denominator = reference == 0 ? EPSILON : Math.abs((double) reference);
    return abs / denominator;
  }

  /** The distance in float32 ulps, or -1 when either value is not finite. */
  static long ulpDistance(float a, float b) {
    if (!Float.isFinite(a) || !Float.isFinite(b)) {
      return -1;
    }
    return Math.abs(ordered(a) - ordered(b));
  }

  private static long ordered(float f) {
    int bits = Float.floatToRawIntBits(f);
    return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
  }

  /**
   * Computes the statistics of two tensors of the same shape.
   *
   * @param shape their shape (the last axis is the class axis when {@code classifier})
   * @param classifier whether to compute argmax, top-k and sequence agreement
   */
  static ErrorStats compute(float[] r, float[] c, long[] shape, Criterion criterion, boolean classifier) {
    int n = r.length;
    double[] abs = new double[n];
    double[] rel = new double[n];
    boolean anyNaN = false;
    double sumAbs = 0;
    double sumRel = 0;
    double dot = 0;
    double nr = 0;
    double nc = 0;
    long[] ulps = new long[n];
    int ulpCount = 0;
    long[] histogram = new long[HISTOGRAM_BINS.length];
    double atRtol = 0;
    double atAtol = 0;
    for (int i = 0; i < n; i++) {
      double a = absError(r[i], c[i], criterion.infinitiesCompareEqual());
      double q = relError(a, r[i]);
      abs[i] = a;
      rel[i] = q;
      if (Double.isNaN(a)) {
        anyNaN = true;
      }
      sumAbs += a;
      sumRel += q;
      histogram[bin(a)]++;
      if (Float.isFinite(r[i]) && Float.isFinite(c[i])) {
        dot += (double) r[i] * c[i];
        nr += (double) r[i] * r[i];
        nc += (double) c[i] * c[i];
      }
      long u = ulpDistance(r[i], c[i]);
      if (u >= 0) {
        ulps[ulpCount++] = u;
      }
      if (!(q <= criterion.rtol())) {
        atRtol = Double.isNaN(a) || Double.isNaN(atRtol) ? Double.NaN : Math.max(atRtol, a);
      }
      if (!(a <= criterion.atol())) {
        atAtol = Double.isNaN(q) || Double.isNaN(atAtol) ? Double.NaN : Math.max(atAtol, q);
      }
    }
    double[] sortedAbs = abs.clone();
    double[] sortedRel = rel.clone();
    Arrays.sort(sortedAbs);
    Arrays.sort(sortedRel);
    double maxAbs = anyNaN ? Double.NaN : n == 0 ? 0 : sortedAbs[n - 1];
    double maxRel = anyNaN ? Double.NaN : n == 0 ? 0 : sortedRel[n - 1];
    double meanAbs = n == 0 ? 0 : sumAbs / n;
    double meanRel = n == 0 ? 0 : sumRel / n;
    double medianAbs = anyNaN ? Double.NaN : quantile(sortedAbs, 0.5);
    double medianRel = anyNaN ? Double.NaN : quantile(sortedRel, 0.5);
    double q = criterion.quantile();
    double quantileAbs = anyNaN ? Double.NaN : quantile(sortedAbs, q);
    double quantileRel = anyNaN ? Double.NaN : quantile(sortedRel, q);
    long[] u = Arrays.copyOf(ulps, ulpCount);
    Arrays.sort(u);
    long maxUlp = ulpCount == 0 ? 0 : u[ulpCount - 1];
    double medianUlp = ulpCount == 0 ? 0 : quantileOfLongs(u, 0.5);
    double cosine = nr == 0 && nc == 0 ? 1 : nr == 0 || nc == 0 ? 0 : dot / Math.sqrt(nr * nc);

    double reqAtol;
    double reqRtol;
    double reqAtolAtRtol;
    double reqRtolAtAtol;
    ErrorStat stat = criterion.stat();
    if (stat == ErrorStat.ELEMWISE) {
      reqAtol = maxAbs;
      reqRtol = maxRel;
      reqAtolAtRtol = atRtol;
      reqRtolAtAtol = atAtol;
    } else {
      double sa = statistic(stat, maxAbs, meanAbs, medianAbs, quantileAbs);
      double sr = statistic(stat, maxRel, meanRel, medianRel, quantileRel);
      reqAtol = sa;
      reqRtol = sr;
      reqAtolAtRtol = sr <= criterion.rtol() ? 0 : sa;
      reqRtolAtAtol = sa <= criterion.atol() ? 0 : sr;
    }
    double argmax = Double.NaN;
    double topK = Double.NaN;
    int k = 0;
    double sequences = Double.NaN;
    int classes = shape.length == 0 ? 0 : (int) shape[shape.length - 1];
    if (classifier && classes >= 2 && n > 0 && n % classes == 0) {
      int rows = n / classes;
      k = classes > 2 ? Math.min(3, classes - 1) : 0;
      int agree = 0;
      int agreeK = 0;
      boolean[] rowAgrees = new boolean[rows];
      for (int row = 0; row < rows; row++) {
        int off = row * classes;
        rowAgrees[row] = argmax(r, off, classes) == argmax(c, off, classes);
        if (rowAgrees[row]) {
          agree++;
        }
        if (k > 0 && Arrays.equals(topSet(r, off, classes, k), topSet(c, off, classes, k))) {
          agreeK++;
        }
      }
      argmax = (double) agree / rows;
      topK = k > 0 ? (double) agreeK / rows : Double.NaN;
      if (shape.length == 3) {
        int batch = (int) shape[0];
        int steps = (int) shape[1];
        int same = 0;
        for (int b = 0; b < batch; b++) {
          boolean all = true;
          for (int t = 0; t < steps && all; t++) {
            all = rowAgrees[b * steps + t];
          }
          if (all) {
            same++;
          }
        }
        sequences = batch == 0 ? Double.NaN : (double) same / batch;
      }
    }
    double[] perStep = null;
    if (shape.length >= 3 && n > 0) {
      int steps = (int) shape[1];
      int inner = n / (int) shape[0] / Math.max(steps, 1);
      perStep = new double[steps];
      for (int i = 0; i < n; i++) {
        int t = (i / inner) % steps;
        perStep[t] = Double.isNaN(abs[i]) ? Double.POSITIVE_INFINITY : Math.max(perStep[t], abs[i]);
      }
    }
    return new ErrorStats(maxAbs, meanAbs, medianAbs, quantileAbs, maxRel, meanRel, medianRel, quantileRel, q,
        maxUlp, medianUlp, cosine, infiniteIfNaN(reqAtol), infiniteIfNaN(reqRtol), infiniteIfNaN(reqAtolAtRtol),
        infiniteIfNaN(reqRtolAtAtol), histogram, argmax, topK, k, sequences, perStep);
  }

  /** The value of a statistic. */
  static double statistic(ErrorStat stat, double max, double mean, double median, double quantile) {
    return switch (stat) {
      case MAX, ELEMWISE -> max;
      case MEAN -> mean;
      case MEDIAN -> median;
      case QUANTILE -> quantile;
    };
  }

  /** The absolute and relative values of the criterion's statistic. */
  double[] checked(ErrorStat stat) {
    return new double[] {statistic(stat, maxAbs, meanAbs, medianAbs, quantileAbs),
        statistic(stat, maxRel, meanRel, medianRel, quantileRel)};
  }

  private static double infiniteIfNaN(double v) {
    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
  }

  /** NumPy's default ({@code linear}) quantile of sorted values; 0 for none. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  private static double quantileOfLongs(long[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  private static int bin(double abs) {
    if (Double.isNaN(abs)) {
      return HISTOGRAM_BINS.length - 1;
    }
    if (abs == 0) {
      return 0;
    }
    if (abs < 1e-12) {
      return 1;
    }
    if (abs >= 1) {
      return HISTOGRAM_BINS.length - 2;
    }
    int decade = (int) Math.floor(Math.log10(abs));
    return Math.max(2, Math.min(13, decade + 14));
  }

  private static String[] histogramLabels() {
    String[] l = new String[16];
    l[0] = "0";
    l[1] = "(0, 1e-12)";
    for (int d = -12; d <= -1; d++) {
      l[d + 14] = "[1e" + d + ", 1e" + (d + 1) + ")";
    }
    l[14] = "[1, inf)";
    l[15] = "NaN";
    return l;
  }

  private static int argmax(float[] v, int off, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (v[off + i] > v[off + best] || (Float.isNaN(v[off + i]) && !Float.isNaN(v[off + best]))) {
        best = i;
      }
    }
    return best;
  }

  private static int[] topSet(float[] v, int off, int n, int k) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Float.compare(v[off + b], v[off + a]));
    int[] top = new int[k];
    for (int i = 0; i < k; i++) {
      top[i] = idx[i];
    }
    Arrays.sort(top);
    return top;
  }
}
