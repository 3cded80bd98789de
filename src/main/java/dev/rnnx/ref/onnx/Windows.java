package dev.rnnx.ref.onnx;

/**
 * The geometry of a sliding window over the spatial dimensions of an {@code (N, C, D1, ..., Dk)}
 * tensor, as {@code Conv} and the pooling operators define it: kernel, strides, dilations, the
 * padding at the start of each dimension, and the output dimensions. Explicit {@code pads}, or
 * {@code auto_pad} {@code SAME_UPPER} / {@code SAME_LOWER} (output {@code ceil(in / stride)}, the odd
 * padding at the end or at the start) or {@code VALID}; {@code ceil_mode} rounds the output size up,
 * dropping a last window that would start in the end padding.
 */
final class Windows {

  final long[] in;
  final long[] kernel;
  final long[] strides;
  final long[] dilations;
  final long[] padBegin;
  final long[] padEnd;
  final long[] out;

  private Windows(long[] in, long[] kernel, long[] strides, long[] dilations, long[] padBegin, long[] padEnd,
      long[] out) {
    this.in = in;
    this.kernel = kernel;
    this.strides = strides;
    this.dilations = dilations;
    this.padBegin = padBegin;
    this.padEnd = padEnd;
    this.out = out;
  }

  /**
   * The windows of a node over an input of spatial dimensions {@code in}.
   *
   * @param kernel the kernel dimensions (from the weight, or the {@code kernel_shape} attribute)
   * @param ceil whether the output size is rounded up ({@code ceil_mode})
   */
  static Windows of(Node node, long[] in, long[] kernel, boolean ceil) {
    int r = in.length;
    if (kernel.length != r) {
      throw new IllegalArgumentException("kernel_shape " + Shapes.str(kernel) + " does not match the " + r
          + " spatial dimensions of the input");
    }
    long[] strides = orOnes(node.getInts("strides"), r, "strides");
    long[] dil = orOnes(node.getInts("dilations"), r, "dilations");
    long[] pads = node.getInts("pads");
    String autoPad = node.getString("auto_pad", "NOTSET");
    long[] pb = new long[r];
    long[] pe = new long[r];
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long span = (kernel[i] - 1) * dil[i] + 1;
      switch (autoPad) {
        case "SAME_UPPER":
        case "SAME_LOWER": {
          out[i] = (in[i] + strides[i] - 1) / strides[i];
          long total = Math.max(0, (out[i] - 1) * strides[i] + span - in[i]);
          pb[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
          pe[i] = total - pb[i];
          continue;
        }
        case "VALID":
          break;
        case "NOTSET":
        case "":
          if (pads != null) {
            if (pads.length != 2 * r) {
              throw new IllegalArgumentException("pads must hold " + 2 * r + " values, got " + pads.length);
            }
            pb[i] = pads[i];
            pe[i] = pads[i + r];
          }
          break;
        default:
          throw new IllegalArgumentException("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '"
              + autoPad + "'");
      }
      long room = in[i] + pb[i] + pe[i] - span;
      if (room < 0) {
        throw new IllegalArgumentException("kernel span " + span + " exceeds padded input dimension "
            + (in[i] + pb[i] + pe[i]));
      }
      out[i] = (ceil ? Math.floorDiv(room + strides[i] - 1, strides[i]) : room / strides[i]) + 1;
      if (ceil && (out[i] - 1) * strides[i] >= in[i] + pb[i]) {
        out[i]--;
      }
    }
    return new Windows(in, kernel, strides, dil, pb, pe, out);
  }

  static long[] orOnes(long[] v, int r, String what) {
    if (v == null) {
      long[] ones = new long[r];
      java.util.Arrays.fill(ones, 1);
      return ones;
    }
    if (v.length != r) {
      throw new IllegalArgumentException(what + " must hold " + r + " values, got " + v.length);
    }
    return v;
  }

  int rank() {
    return in.length;
  }

  int outSize() {
    return Shapes.size(out);
  }

  int kernelSize() {
    return Shapes.size(kernel);
  }

  int inSize() {
    return Shapes.size(in);
  }

  /**
   * For each output position and kernel position, the row-major offset of the input element it reads,
   * or -1 where that falls in the padding: {@code outSize() * kernelSize()} entries.
   */
  int[] offsets() {
    int r = rank();
    int no = outSize();
    int nk = kernelSize();
    int[] inStr = Shapes.strides(in);
    int[] table = new int[no * nk];
    int[] o = new int[r];
    int[] k = new int[r];
    for (int a = 0; a < no; a++) {
      unravel(a, out, o);
      for (int b = 0; b < nk; b++) {
        unravel(b, kernel, k);
        int off = 0;
        for (int d = 0; d < r; d++) {
          long p = o[d] * strides[d] - padBegin[d] + k[d] * dilations[d];
          if (p < 0 || p >= in[d]) {
            off = -1;
            break;
          }
          off += (int) p * inStr[d];
        }
        table[a * nk + b] = off;
      }
    }
    return table;
  }

  /** Whether kernel position {@code b} of output position {@code a} lies inside the padded input. */
  boolean insidePadded(int a, int b) {
    int[] o = new int[rank()];
    int[] k = new int[rank()];
    unravel(a, out, o);
    unravel(b, kernel, k);
    for (int d = 0; d < rank(); d++) {
      long p = o[d] * strides[d] - padBegin[d] + k[d] * dilations[d];
      if (p < -padBegin[d] || p >= in[d] + padEnd[d]) {
        return false;
      }
    }
    return true;
  }

  static void unravel(int flat, long[] shape, int[] idx) {
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = (int) (flat % shape[d]);
      flat /= (int) shape[d];
    }
  }
}
