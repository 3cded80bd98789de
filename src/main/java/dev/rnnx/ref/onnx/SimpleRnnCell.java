package dev.rnnx.ref.onnx;

/**
 * The ONNX {@code RNN} step: {@code h' = f(Wi x + Ri h + Wbi + Rbi)}, with {@code clip} bounding
 * the pre-activation.
 */
final class SimpleRnnCell implements RecurrentCell {

  private final GateWeights w;
  private final RnnActivation f;
  private final double clip;
  private final double[] gates;
  private final double[] rec;

  SimpleRnnCell(GateWeights w, RnnActivation f, double clip) {
    this.w = w;
    this.f = f;
    this.clip = clip;
    this.gates = new double[w.hidden()];
    this.rec = new double[w.hidden()];
  }

  @Override
  public void step(double[] x, int xOffset, double[] hs, double[] cs) {
    w.inputPart(x, xOffset, gates);
    w.recurrentPart(hs, rec);
    finish(gates, 0, rec, 0, hs, cs);
  }

  @Override
  public void finish(double[] gates, int gOff, double[] rec, int rOff, double[] hs, double[] cs) {
    for (int j = 0; j < hs.length; j++) {
      hs[j] = f.apply(RecurrentCell.clip(gates[gOff + j] + rec[rOff + j], clip));
    }
  }
}
