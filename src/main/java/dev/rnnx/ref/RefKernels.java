package dev.rnnx.ref;

import java.util.stream.IntStream;

/**
 * The reference's matrix-product kernel, blocked for the cache, and its split of independent
 * rows over the cores. Every kernel keeps each output's summation order (bias first, then the
 * inner index ascending), so the blocked forward equals the naive one to the last bit.
 *
 * <p>The system property {@value #PROPERTY}{@code =naive} selects the original one-row-at-a-time
 * loops instead; it exists so one JMH run and the equality tests can measure and check both.
 */
final class RefKernels {

  /** The system property that selects the kernels: {@code naive} or anything else (blocked). */
  static final String PROPERTY = "rnnx.ref.kernels";
  /** Columns of the right operand one pass keeps in cache (128 doubles: a 256-row tile is 256 KiB). */
  static final int COLUMN_TILE = 128;
  /** Rows of the transposed right operand one pass of {@link #productTransposed} keeps in cache. */
  static final int ROW_TILE = 64;
  /** Multiply-adds below which work stays on the calling thread. */
  static final long PARALLEL_WORK = 1L << 20;

  private RefKernels() {}

  /** Whether the naive loops were asked for ({@value #PROPERTY}{@code =naive}). */
  static boolean naive() {
    return "naive".equals(System.getProperty(PROPERTY));
  }

  /** How many independent chunks {@code rows} rows of {@code work} multiply-adds in all split into. */
  static int chunks(int rows, long work) {
    if (rows < 2 || work < PARALLEL_WORK) {
      return 1;
    }
    return Math.min(rows, Runtime.getRuntime().availableProcessors());
  }

  /** A body run over the rows {@code [from, to)}. */
  interface RowRange {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code rows} rows split into {@link #chunks} contiguous ranges, on the
   * common fork-join pool when there is more than one.
   */
  static void forRows(int rows, long work, RowRange body) {
    int n = chunks(rows, work);
    if (n == 1) {
      body.run(0, rows);
      return;
    }
    IntStream.range(0, n).parallel().forEach(i -> body.run(rows * i / n, rows * (i + 1) / n));
  }

  /**
   * {@code z[r, c] += Σ_k a[r, k] · m[k, c]} for the listed rows {@code r} and columns
   * {@code c ∈ [from, to)}, k ascending; {@code a} row {@code r} starts at {@code r · aStride},
   * {@code z} row {@code r} at {@code r · zStride}, {@code m} is row-major {@code [inner, mCols]}.
   *
   * @param skipZeros skip {@code a[r, k] == 0} (as {@link RefMath#linear} always did)
   */
  static void product(double[] a, int aStride, int[] rows, int n, int inner, double[] m, int mCols, int from, int to,
      double[] z, int zStride, boolean skipZeros) {
    for (int c0 = from; c0 < to; c0 += COLUMN_TILE) {
      int c1 = Math.min(to, c0 + COLUMN_TILE);
      int i = 0;
      for (; i + 1 < n; i += 2) {
        productPair(a, rows[i] * aStride, rows[i + 1] * aStride, inner, m, mCols, c0, c1, z, rows[i] * zStride,
            rows[i + 1] * zStride, skipZeros);
      }
      for (; i < n; i++) {
        int aBase = rows[i] * aStride;
        int zBase = rows[i] * zStride;
        for (int k = 0; k < inner; k++) {
          double ak = a[aBase + k];
          if (skipZeros && ak == 0) {
            continue;
          }
          int mb = k * mCols;
          for (int c = c0; c < c1; c++) {
            z[zBase + c] += ak * m[mb + c];
          }
        }
      }
    }
  }

  /** Two rows at once: each tile row of {@code m} is read once for both. */
  private static void productPair(double[] a, int a0, int a1, int inner, double[] m, int mCols, int c0, int c1,
      double[] z, int z0, int z1, boolean skipZeros) {
    for (int k = 0; k < inner; k++) {
      double x0 = a[a0 + k];
      double x1 = a[a1 + k];
      int mb = k * mCols;
      if (skipZeros && (x0 == 0 || x1 == 0)) {
        if (x0 != 0) {
          for (int c = c0; c < c1; c++) {
            z[z0 + c] += x0 * m[mb + c];
          }
        }
        if (x1 != 0) {
          for (int c = c0; c < c1; c++) {
            z[z1 + c] += x1 * m[mb + c];
          }
        }
        continue;
      }
      for (int c = c0; c < c1; c++) {
        double w = m[mb + c];
        z[z0 + c] += x0 * w;
        z[z1 + c] += x1 * w;
      }
    }
  }

  /** {@code m [rows, cols]} row-major as {@code [cols, rows]}. */
  static double[] transpose(double[] m, int rows, int cols) {
    double[] t = new double[m.length];
    for (int k = 0; k < rows; k++) {
      int base = k * cols;
      for (int c = 0; c < cols; c++) {
        t[c * rows + k] = m[base + c];
      }
    }
    return t;
  }

  /** Whether every value is finite (then adding {@code 0 · m} changes at most the sign of a zero). */
  static boolean finite(double[] m) {
    for (double v : m) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code z[r, c] += Σ_k a[r, k] · mt[c, k]}, k ascending, for the listed rows {@code r} and
   * columns {@code c ∈ [from, to)}: {@link #product} on the transposed right operand
   * {@code mt [cols, inner]}, four rows by two columns at a time in registers, so each loaded value
   * serves four or two multiply-adds. Same summation order as {@link #product}, same bits.
   */
  static void productTransposed(double[] a, int aStride, int[] rows, int n, int inner, double[] mt, int from, int to,
      double[] z, int zStride) {
    for (int c0 = from; c0 < to; c0 += ROW_TILE) {
      int c1 = Math.min(to, c0 + ROW_TILE);
      int i = 0;
      for (; i + 3 < n; i += 4) {
        int a0 = rows[i] * aStride;
        int a1 = rows[i + 1] * aStride;
        int a2 = rows[i + 2] * aStride;
        int a3 = rows[i + 3] * aStride;
        int z0 = rows[i] * zStride;
        int z1 = rows[i + 1] * zStride;
        int z2 = rows[i + 2] * zStride;
        int z3 = rows[i + 3] * zStride;
        int c = c0;
        for (; c + 1 < c1; c += 2) {
          double s00 = z[z0 + c];
          double s01 = z[z0 + c + 1];
          double s10 = z[z1 + c];
          double s11 = z[z1 + c + 1];
          double s20 = z[z2 + c];
          double s21 = z[z2 + c + 1];
          double s30 = z[z3 + c];
          double s31 = z[z3 + c + 1];
          int m0 = c * inner;
          int m1 = m0 + inner;
          for (int k = 0; k < inner; k++) {
            double w0 = mt[m0 + k];
            double w1 = mt[m1 + k];
            double x0 = a[a0 + k];
            double x1 = a[a1 + k];
            double x2 = a[a2 + k];
            double x3 = a[a3 + k];
            s00 += x0 * w0;
            s01 += x0 * w1;
            s10 += x1 * w0;
            s11 += x1 * w1;
            s20 += x2 * w0;
            s21 += x2 * w1;
            s30 += x3 * w0;
            s31 += x3 * w1;
          }
          z[z0 + c] = s00;
          z[z0 + c + 1] = s01;
          z[z1 + c] = s10;
          z[z1 + c + 1] = s11;
          z[z2 + c] = s20;
          z[z2 + c + 1] = s21;
          z[z3 + c] = s30;
          z[z3 + c + 1] = s31;
        }
        if (c < c1) {
          dot(a, a0, mt, c * inner, inner, z, z0 + c);
          dot(a, a1, mt, c * inner, inner, z, z1 + c);
          dot(a, a2, mt, c * inner, inner, z, z2 + c);
          dot(a, a3, mt, c * inner, inner, z, z3 + c);
        }
      }
      for (; i < n; i++) {
        int a0 = rows[i] * aStride;
        int z0 = rows[i] * zStride;
        int c = c0;
        for (; c + 1 < c1; c += 2) {
          double s0 = z[z0 + c];
          double s1 = z[z0 + c + 1];
          int m0 = c * inner;
          int m1 = m0 + inner;
          for (int k = 0; k < inner; k++) {
            double x0 = a[a0 + k];
            s0 += x0 * mt[m0 + k];
            s1 += x0 * mt[m1 + k];
          }
          z[z0 + c] = s0;
          z[z0 + c + 1] = s1;
        }
        if (c < c1) {
          dot(a, a0, mt, c * inner, inner, z, z0 + c);
        }
      }
    }
  }

  private static void dot(double[] a, int aOff, double[] mt, int mOff, int inner, double[] z, int zOff) {
    double s = z[zOff];
    for (int k = 0; k < inner; k++) {
      s += a[aOff + k] * mt[mOff + k];
    }
    z[zOff] = s;
  }

  /** {@code 0, 1, …, n−1}. */
  static int[] identity(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /**
   * {@code y = x · w + b} for {@code rows} rows of {@code x [rows, in]}, {@code w [in, out]}
   * row-major, {@code b [out]} or {@code null}: blocked, rows split over the cores.
   */
  static double[] linear(double[] x, int rows, int in, double[] w, int out, double[] b, boolean skipZeros) {
    double[] y = new double[rows * out];
    if (b != null) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(b, 0, y, r * out, out);
      }
    }
    int[] all = identity(rows);
    // skipping a zero x[r, k] differs from adding 0 · w only when w is not finite (or in a zero's sign)
    double[] wt = rows < 4 || skipZeros && !finite(w) ? null : transpose(w, in, out);
    forRows(rows, (long) rows * in * out, (from, to) -> {
      int[] part = java.util.Arrays.copyOfRange(all, from, to);
      if (wt == null || part.length < 4) {
        product(x, in, part, part.length, in, w, out, 0, out, y, out, skipZeros);
      } else {
        productTransposed(x, in, part, part.length, in, wt, 0, out, y, out);
      }
    });
    return y;
  }
}
