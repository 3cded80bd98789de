package dev.rnnx.ref;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Layer;
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
   * The last mask reader's output: a sequence {@code [B, T, H]} brought back to the original steps
   * as Keras gives it, a last output {@code [B, H]} with the rows of empty sequences zeroed. A
   * forward sequence repeats the previous output at a masked step (zeros before the first unmasked
   * step); a {@code go_backwards} sequence is in processing order, entry {@code j} the backward
   * state at the first unmasked step at or after {@code T−1−j}. A {@link Bidirectional} sequence
   * (any merge) is zero at a masked step, since Keras's Bidirectional sets
   * {@code zero_output_for_mask} on both halves when it returns sequences; at an unmasked step it is
   * the compacted output of that step (in processing order, entry j of step T−1−j, when
   * {@link Bidirectional#reversed()}).
   *
   * @param reader the layer that produced it
   */
  DoubleTensor restore(DoubleTensor output, Layer reader) {
    if (output.rank() != 3) {
      return zeroEmpty(output);
    }
    int steps = output.dim(1);
    int width = output.dim(2);
    boolean bidirectional = reader instanceof Bidirectional;
    boolean backwards = Bidirectional.reversesTime(reader);
    double[] data = new double[output.data().length];
    for (int b = 0; b < empty.length; b++) {
      int base = b * steps;
      int count = source[base + steps - 1] + 1;
      for (int t = 0; t < steps; t++) {
        int step = backwards ? steps - 1 - t : t; // the input step entry t belongs to
        int from;
        if (backwards) {
          int q = ahead(base, step);
          from = q < count ? count - 1 - q : -1;
        } else {
          from = source[base + t];
        }
        if (bidirectional && source[base + step] == ahead(base, step) - 1) { // step masked: zeros
          from = -1;
        }
        if (from >= 0) {
          System.arraycopy(output.data(), (base + from) * width, data, (base + t) * width, width);
        }
      }
    }
    return new DoubleTensor(output.shape().clone(), data);
  }

  /** The number of unmasked steps before step {@code t} of the row at {@code base}: the compacted step of the first unmasked one at or after t. */
  private int ahead(int base, int t) {
    int before = t == 0 ? -1 : source[base + t - 1];
    return before + 1;
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
