package dev.rnnx.onnx;

import dev.rnnx.onnx.GraphFacts.Fact;

/**
 * What the {@code Gemm}, {@code MatMul} and element-wise arithmetic kernels assume: {@code Gemm}'s {@code A} and {@code B}
 * of rank 2 whose inner axes agree (after {@code transA}/{@code transB}), {@code C} of rank at most
 * 2 and broadcastable to {@code [M, N]}; {@code MatMul}'s inputs of rank at least 1 whose inner
 * axes agree and whose batch axes broadcast; one numeric element type throughout (for
 * {@code Add}, {@code Sub}, {@code Mul} and {@code Div} too).
 */
final class MatrixKernelRules {

  private MatrixKernelRules() {}

  static void gemm(NodeCheck c) {
    c.arity(3, 1);
    c.require(0, "A");
    c.require(1, "B");
    for (int i = 0; i < 3; i++) {
      String role = "ABC".substring(i, i + 1);
      c.type(i, role, NodeCheck.NUMBERS);
      if (i > 0) {
        c.sameType(i, role, 0, "A");
      }
    }
    Long ta = c.attrInt("transA");
    Long tb = c.attrInt("transB");
    c.attrFloat("alpha");
    c.attrFloat("beta");
    c.rank(0, "A", 2);
    c.rank(1, "B", 2);
    Fact a = c.in(0);
    Fact b = c.in(1);
    boolean transA = ta != null && ta != 0;
    boolean transB = tb != null && tb != 0;
    long m = a == null ? -1 : a.dim(transA ? 1 : 0);
    long k = a == null ? -1 : a.dim(transA ? 0 : 1);
    long kb = b == null ? -1 : b.dim(transB ? 1 : 0);
    long n = b == null ? -1 : b.dim(transB ? 0 : 1);
    if (k >= 0 && kb >= 0 && k != kb) {
      throw c.failInput(1, "B", "K=" + k + " rows" + (transB ? " (as transposed)" : "") + " to match A's "
          + (transA ? "rows (transA=1)" : "columns"), "shape " + NodeCheck.str(b.dims()));
    }
    Fact cf = c.in(2);
    if (cf != null && cf.dims() != null) {
      if (cf.rank() > 2) {
        throw c.failInput(2, "C", "rank at most 2, broadcastable to [M=" + NodeCheck.q(m) + ", N=" + NodeCheck.q(n) + "]", "shape " + NodeCheck.str(cf.dims()));
      }
      long[] target = {m, n};
      for (int i = 0; i < cf.rank(); i++) {
        long d = cf.dims()[cf.rank() - 1 - i];
        long t = target[1 - i];
        if (d >= 0 && t >= 0 && d != 1 && d != t) {
          throw c.failInput(2, "C", "a shape broadcastable to [M=" + NodeCheck.q(m) + ", N=" + NodeCheck.q(n) + "]", "shape " + NodeCheck.str(cf.dims()));
        }
      }
    }
  }

  /** {@code Add}, {@code Sub}, {@code Mul}, {@code Div}: two inputs of one numeric element type. */
  static void elementwise(NodeCheck c) {
    c.arity(2, 1);
    c.require(0, "A");
    c.require(1, "B");
    c.type(0, "A", NodeCheck.NUMBERS);
    c.sameType(1, "B", 0, "A");
  }

  static void matMul(NodeCheck c) {
    c.arity(2, 1);
    c.require(0, "A");
    c.require(1, "B");
    c.type(0, "A", NodeCheck.NUMBERS);
    c.type(1, "B", NodeCheck.NUMBERS);
    c.sameType(1, "B", 0, "A");
    Fact a = c.in(0);
    Fact b = c.in(1);
    if (a != null && a.rank() == 0) {
      throw c.failInput(0, "A", "rank at least 1", "a scalar");
    }
    if (b != null && b.rank() == 0) {
      throw c.failInput(1, "B", "rank at least 1", "a scalar");
    }
    if (a == null || b == null || a.dims() == null || b.dims() == null) {
      return;
    }
    long k = a.dim(-1);
    long kb = b.rank() == 1 ? b.dim(0) : b.dim(-2);
    if (k >= 0 && kb >= 0 && k != kb) {
      throw c.failInput(1, "B", (b.rank() == 1 ? "length " : "rows (axis -2) ") + k + " to match A's last axis",
          "shape " + NodeCheck.str(b.dims()));
    }
    int batchA = Math.max(0, a.rank() - 2);
    int batchB = Math.max(0, b.rank() - 2);
    for (int i = 1; i <= Math.min(batchA, batchB); i++) {
      long da = a.dims()[batchA - i];
      long db = b.dims()[batchB - i];
      if (da >= 0 && db >= 0 && da != db && da != 1 && db != 1) {
        throw c.failInput(1, "B", "batch axes broadcastable with A's " + NodeCheck.str(a.dims()), "shape " + NodeCheck.str(b.dims()));
      }
    }
  }
}
