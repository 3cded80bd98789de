package dev.rnnx.ref;

import java.util.stream.IntStream;

/**
 * The reference's matrix-product kernel, blocked for the cache, and its split of independent
 * rows over the cores. Every kernel keeps each output's summation order (bias first, then the
 * inner index ascending), so every product equals the naive loop's to the last bit.
 *
 * <p>The system property {@value #PROPERTY}{@code =naive} selects the original one-row-at-a-time
 * loops instead; it exists so one JMH run and the equality tests can measure and check both.
 * {@link #multiplyAdd} is the entry point of the ONNX evaluator's products ({@code ref.onnx}).
 */
public final class RefKernels {

  /** The system property that selects the kernels: {@code naive} or anything else (blocked). */
  static final String PROPERTY = "rnnx.ref.kernels";
  /** Columns of the right operand one pass keeps in cache (128 doubles: a 256-row tile is 256 KiB). */
  static final int COLUMN_TILE = 128;
  /** Multiply-adds below which work stays on the calling thread. */
  static final long PARALLEL_WORK = 1L << 20;

  private RefKernels() {}

  /** Whether the naive loops were asked for ({@value #PROPERTY}{@code =naive}). */
  public static boolean naive() {
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
  public interface RowRange {
    /** Runs the rows {@code [from, to)}. */
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code rows} rows split into {@link #chunks} contiguous ranges, on the
   * common fork-join pool when there is more than one.
   */
  public static void forRows(int rows, long work, RowRange body) {
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

  /**
   * {@code m [inner, cols]} row-major as one array per row, the layout {@link #productRows} reads:
   * its inner loop then indexes the weight row and the accumulators with the same {@code c}, which
   * is what lets HotSpot's C2 compile it to vector instructions (with a different base offset per
   * array, JDK 17's auto-vectoriser leaves the loop scalar).
   */
  public static double[][] rowsOf(double[] m, int inner, int cols) {
    double[][] r = rows(inner, cols);
    for (int k = 0; k < inner; k++) {
      System.arraycopy(m, k * cols, r[k], 0, cols);
    }
    return r;
  }

  /**
   * {@code n} zeroed rows of at least {@code width} doubles, each allocated {@code 6 mod 8} doubles
   * long: with HotSpot's 16-byte array header each row then spans a multiple of 64 bytes, so rows
   * allocated one after the other (as a thread's allocation buffer places them) start at the same
   * offset within a 64-byte cache line, and the vector loop that C2 aligns on one of them finds the
   * others aligned too (an AVX-512 access that is not aligned straddles two cache lines). Only the
   * layout changes: every kernel reads columns {@code [0, width)}.
   */
  static double[][] rows(int n, int width) {
    int padded = width + Math.floorMod(6 - width, 8);
    double[][] r = new double[n][];
    for (int i = 0; i < n; i++) {
      r[i] = new double[padded];
    }
    return r;
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

  /** Four accumulator rows of {@code width} doubles each: the per-thread scratch of {@link #productRows}. */
  public static double[][] scratch(int width) {
    return rows(4, width);
  }

  /**
   * {@code z[r, c] += Σ_k a[r, k] · m[k][c]}, k ascending, for the listed rows {@code r} and
   * columns {@code c ∈ [from, to)}: {@link #product} on the rows of {@link #rowsOf}. Per
   * {@value #COLUMN_TILE}-column tile, four rows at a time are copied into {@code scratch}
   * (indexed by the column itself), updated by one vectorised pass per {@code k} (each loaded
   * weight serves four rows), and copied back. Each output is still {@code z + a·m} rounded after
   * every multiply and every add in the order of {@code k}, the same bits as {@link #product}.
   *
   * @param scratch four arrays of at least {@code to} doubles ({@link #scratch}), one set per thread
   */
  static void productRows(double[] a, int aStride, int[] rows, int n, int inner, double[][] m, int from, int to,
      double[] z, int zStride, double[][] scratch) {
    double[] s0 = scratch[0];
    double[] s1 = scratch[1];
    double[] s2 = scratch[2];
    double[] s3 = scratch[3];
    for (int c0 = from; c0 < to; c0 += COLUMN_TILE) {
      int c1 = Math.min(to, c0 + COLUMN_TILE);
      int len = c1 - c0;
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
        System.arraycopy(z, z0 + c0, s0, c0, len);
        System.arraycopy(z, z1 + c0, s1, c0, len);
        System.arraycopy(z, z2 + c0, s2, c0, len);
        System.arraycopy(z, z3 + c0, s3, c0, len);
        for (int k = 0; k < inner; k++) {
          axpy4(m[k], a[a0 + k], a[a1 + k], a[a2 + k], a[a3 + k], s0, s1, s2, s3, c0, c1);
        }
        System.arraycopy(s0, c0, z, z0 + c0, len);
        System.arraycopy(s1, c0, z, z1 + c0, len);
        System.arraycopy(s2, c0, z, z2 + c0, len);
        System.arraycopy(s3, c0, z, z3 + c0, len);
      }
      for (; i < n; i++) {
        int a0 = rows[i] * aStride;
        int z0 = rows[i] * zStride;
        System.arraycopy(z, z0 + c0, s0, c0, len);
        for (int k = 0; k < inner; k++) {
          axpy(a[a0 + k], m[k], s0, c0, c1);
        }
        System.arraycopy(s0, c0, z, z0 + c0, len);
      }
    }
  }

  /**
   * {@code s_i[c] += x_i · w[c]} for four rows, {@code c ∈ [from, to)}: one index for every array,
   * so it vectorises; a method of its own so that C2 compiles it as a whole loop (not only as part
   * of an on-stack replacement of its caller).
   */
  static void axpy4(double[] w, double x0, double x1, double x2, double x3, double[] s0, double[] s1, double[] s2,
      double[] s3, int from, int to) {
    for (int c = from; c < to; c++) {
      double v = w[c];
      s0[c] += x0 * v;
      s1[c] += x1 * v;
      s2[c] += x2 * v;
      s3[c] += x3 * v;
    }
  }

  /** {@code s[c] += x · w[c]} for {@code c ∈ [from, to)}: one index for both arrays, so it vectorises. */
  static void axpy(double x, double[] w, double[] s, int from, int to) {
    for (int c = from; c < to; c++) {
      s[c] += x * w[c];
    }
  }

  /**
   * {@code z [rows, cols] += a [rows, inner] · m}, both row-major, {@code m [inner, cols]} given as
   * its rows ({@link #rowsOf}): each output is its value in {@code z}, then every
   * {@code a[r, k] · m[k, c]} added in the order of {@code k}, each multiply and add rounded (the
   * bits of the plain triple loop that starts from {@code z}). Blocked, vectorised, rows split over
   * the cores when the work is large enough.
   */
  public static void multiplyAdd(double[] a, int rows, int inner, double[][] m, int cols, double[] z) {
    int[] all = identity(rows);
    forRows(rows, (long) rows * inner * cols, (from, to) -> {
      int[] part = java.util.Arrays.copyOfRange(all, from, to);
      productRows(a, inner, part, part.length, inner, m, 0, cols, z, cols, scratch(cols));
    });
  }

  /**
   * {@link #multiplyAdd} on the calling thread only (inside a {@link #forRows} body), with the
   * caller's {@link #scratch} of at least {@code cols} doubles.
   */
  public static void multiplyAddSerial(double[] a, int rows, int inner, double[][] m, int cols, double[] z,
      double[][] scratch) {
    productRows(a, inner, identity(rows), rows, inner, m, 0, cols, z, cols, scratch);
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
   * row-major, {@code b [out]} or {@code null}: blocked and vectorised ({@link #productRows}),
   * rows split over the cores.
   *
   * @param skipZeros skip {@code x[r, k] == 0} where that matters: only when a weight is not
   *     finite (otherwise skipping differs from adding {@code 0 · w} at most in a zero's sign)
   */
  static double[] linear(double[] x, int rows, int in, double[] w, int out, double[] b, boolean skipZeros) {
    double[] y = new double[rows * out];
    if (b != null) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(b, 0, y, r * out, out);
      }
    }
    if (!skipZeros || finite(w)) {
      multiplyAdd(x, rows, in, rowsOf(w, in, out), out, y);
      return y;
    }
    int[] all = identity(rows);
    forRows(rows, (long) rows * in * out, (from, to) -> {
      int[] part = java.util.Arrays.copyOfRange(all, from, to);
      product(x, in, part, part.length, in, w, out, 0, out, y, out, true);
    });
    return y;
  }
}
