package dev.rnnx.ref.onnx;

/**
 * The ONNX {@code GRU} step, gate blocks z, r, h:
 *
 * <pre>
 * z = f(Wz x + Rz h + Wbz + Rbz)
 * r = f(Wr x + Rr h + Wbr + Rbr)
 * c = g(Wh x + Rh (r . h) + Rbh + Wbh)          linear_before_reset = 0
 * c = g(Wh x + r . (Rh h + Rbh) + Wbh)          linear_before_reset = 1 (Keras reset_after)
 * h' = (1 - z) . c + z . h
 * </pre>
 *
 * <p>{@code clip} bounds every gate's pre-activation.
 */
final class GruCell implements RecurrentCell {

  private final GateWeights w;
  private final RnnActivation f;
  private final RnnActivation g;
  private final double clip;
  private final boolean linearBeforeReset;
  private final double[] gates;
  private final double[] rec;
  private final double[] reset;
  private final double[] candidate;

  GruCell(GateWeights w, RnnActivation f, RnnActivation g, double clip, boolean linearBeforeReset) {
    this.w = w;
    this.f = f;
    this.g = g;
    this.clip = clip;
    this.linearBeforeReset = linearBeforeReset;
    this.gates = new double[3 * w.hidden()];
    this.rec = new double[3 * w.hidden()];
    this.reset = new double[w.hidden()];
    this.candidate = new double[w.hidden()];
  }

  @Override
  public void step(double[] x, int xOffset, double[] hs, double[] cs) {
    w.inputPart(x, xOffset, gates);
    w.recurrentPart(hs, rec); // the h block is only used with linear_before_reset
    finish(gates, 0, rec, 0, hs, cs);
  }

  @Override
  public void finish(double[] gates, int gOff, double[] rec, int rOff, double[] hs, double[] cs) {
    int n = w.hidden();
    double[] z = new double[n];
    for (int j = 0; j < n; j++) {
      z[j] = f.apply(RecurrentCell.clip(gates[gOff + j] + rec[rOff + j], clip));
      double r = f.apply(RecurrentCell.clip(gates[gOff + n + j] + rec[rOff + n + j], clip));
      if (linearBeforeReset) {
        candidate[j] = gates[gOff + 2 * n + j] + r * rec[rOff + 2 * n + j];
      } else {
        reset[j] = r * hs[j];
      }
    }
    if (!linearBeforeReset) {
      double[] rh = new double[n];
      w.recurrentBlock(2, reset, rh);
      for (int j = 0; j < n; j++) {
        candidate[j] = gates[gOff + 2 * n + j] + rh[j];
      }
    }
    for (int j = 0; j < n; j++) {
      double c = g.apply(RecurrentCell.clip(candidate[j], clip));
      hs[j] = (1 - z[j]) * c + z[j] * hs[j];
    }
  }
}
