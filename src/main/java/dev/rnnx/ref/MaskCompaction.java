package dev.rnnx.ref;

import dev.rnnx.spec.ModelInput;

/**
 * Keras masking as the reference computes it (see {@link dev.rnnx.spec.Sequential}): a step is
 * masked where all its features equal the mask value (compared in float32, as Keras does), or
 * where its token id does; each row's unmasked steps move to the front in order, and the row's
 * length is their count. The recurrent layer that reads the compacted input with those lengths
 * skips exactly the masked steps.
 *
 * @param x the compacted input, the same shape as the original (the tail of each row is padding)
 * <p>A row with every step masked gets length 1 and is marked empty: the consumer's output there
 * is zeroed (Keras keeps the initial state, zeros, for it).
 *
 * @param x the compacted input, the same shape as the original (the tail of each row is padding)
 * @param lengths the number of unmasked steps of each row, at least 1
 * @param empty whether each row has every step masked
 * @param source for each original step {@code b·T + t}, the compacted step whose output it repeats
 *     (the last unmasked step at or before t), or −1 before the first unmasked step
 */
record MaskCompaction(DoubleTensor x, int[] lengths, boolean[] empty, int[] source) {

  /** Compacts {@code x} ({@code [B, T, F]}, or token ids {@code [B, T]}). */
  static MaskCompaction of(DoubleTensor x, ModelInput input) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int width = x.rank() == 3 ? x.dim(2) : 1;
    double value = input.tokens() ? input.maskValue() : (double) (float) input.maskValue();
    double[] out = new double[x.data().length];
    int[] lengths = new int[batch];
    boolean[] empty = new boolean[batch];
    int[] source = new int[batch * steps];
    for (int b = 0; b < batch; b++) {
      int kept = 0;
      for (int t = 0; t < steps; t++) {
        int from = (b * steps + t) * width;
        boolean masked = true;
        for (int f = 0; f < width && masked; f++) {
          masked = x.data()[from + f] == value;
        }
        if (!masked) {
          System.arraycopy(x.data(), from, out, (b * steps + kept) * width, width);
          kept++;
        }
        source[b * steps + t] = kept - 1;
      }
      empty[b] = kept == 0;
      lengths[b] = Math.max(kept, 1);
    }
    return new MaskCompaction(new DoubleTensor(x.shape().clone(), out), lengths, empty, source);
  }

  /**
   * The consumer's output: a sequence {@code [B, T, H]} brought back to the original steps (a masked
   * step repeats the previous output, zeros before the first unmasked step, as Keras); a last output
   * {@code [B, H]} with the rows of empty sequences zeroed.
   */
  DoubleTensor restore(DoubleTensor output) {
    if (output.rank() != 3) {
      return zeroEmpty(output);
    }
    int steps = output.dim(1);
    int width = output.dim(2);
    double[] data = new double[output.data().length];
    for (int i = 0; i < source.length; i++) {
      if (source[i] >= 0) {
        System.arraycopy(output.data(), ((i / steps) * steps + source[i]) * width, data, i * width, width);
      }
    }
    return new DoubleTensor(output.shape().clone(), data);
  }

  /** The consumer's output {@code [B, …]} with the rows of empty sequences set to zero. */
  private DoubleTensor zeroEmpty(DoubleTensor output) {
    double[] data = output.data().clone();
    int row = data.length / empty.length;
    for (int b = 0; b < empty.length; b++) {
      if (empty[b]) {
        java.util.Arrays.fill(data, b * row, (b + 1) * row, 0.0);
      }
    }
    return new DoubleTensor(output.shape().clone(), data);
  }
}
