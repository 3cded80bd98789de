package dev.rnnx.ref.onnx;

/** One direction's recurrence of a recurrent operator: how one time step updates the state. */
interface RecurrentCell {

  /**
   * Advances one sequence by one step, in place.
   *
   * @param x the input vector, {@code input} elements from {@code xOffset}
   * @param h the hidden state, read then overwritten with the new one
   * @param c the cell state (LSTM only; ignored by the others), read then overwritten
   */
  void step(double[] x, int xOffset, double[] h, double[] c);

  /**
   * The rest of {@link #step} once its two products are known (the batched run of
   * {@link RecurrentOps} computes them for many sequences at once).
   *
   * @param gates {@code W x + Wb} for every gate row, at {@code gOff}
   * @param rec {@code R h + Rb} for every gate row, at {@code rOff}
   */
  void finish(double[] gates, int gOff, double[] rec, int rOff, double[] h, double[] c);

  /** Bounds a gate pre-activation to {@code [-clip, clip]} (no-op for an infinite clip). */
  static double clip(double v, double clip) {
    return v > clip ? clip : (v < -clip ? -clip : v);
  }
}
