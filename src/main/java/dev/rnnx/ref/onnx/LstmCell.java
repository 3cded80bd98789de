package dev.rnnx.ref.onnx;

/**
 * The ONNX {@code LSTM} step, gate blocks i, o, f, c:
 *
 * <pre>
 * i = f(Wi x + Ri h + Pi . C + Wbi + Rbi)
 * f = f(Wf x + Rf h + Pf . C + Wbf + Rbf)        (1 - i when input_forget = 1)
 * c = g(Wc x + Rc h + Wbc + Rbc)
 * C' = f . C + i . c
 * o = f(Wo x + Ro h + Po . C' + Wbo + Rbo)
 * h' = o . h(C')
 * </pre>
 *
 * <p>{@code clip} bounds every gate's pre-activation (peephole term included), as ONNX Runtime
 * does; the cell state itself is not clipped before {@code h}.
 */
final class LstmCell implements RecurrentCell {

  private final GateWeights w;
  private final RnnActivation f;
  private final RnnActivation g;
  private final RnnActivation h;
  private final double clip;
  private final boolean inputForget;
  private final double[] gates;
  private final double[] rec;

  LstmCell(GateWeights w, RnnActivation f, RnnActivation g, RnnActivation h, double clip, boolean inputForget) {
    this.w = w;
    this.f = f;
    this.g = g;
    this.h = h;
    this.clip = clip;
    this.inputForget = inputForget;
    this.gates = new double[4 * w.hidden()];
    this.rec = new double[4 * w.hidden()];
  }

  @Override
  public void step(double[] x, int xOffset, double[] hs, double[] cs) {
    w.inputPart(x, xOffset, gates);
    w.recurrentPart(hs, rec);
    finish(gates, 0, rec, 0, hs, cs);
  }

  @Override
  public void finish(double[] gates, int gOff, double[] rec, int rOff, double[] hs, double[] cs) {
    int n = w.hidden();
    double[] p = w.p();
    for (int j = 0; j < n; j++) {
      double c = cs[j];
      double pi = gates[gOff + j] + rec[rOff + j] + (p == null ? 0 : p[j] * c);
      double i = f.apply(RecurrentCell.clip(pi, clip));
      double fg;
      if (inputForget) {
        fg = 1 - i;
      } else {
        double pf = gates[gOff + 2 * n + j] + rec[rOff + 2 * n + j] + (p == null ? 0 : p[2 * n + j] * c);
        fg = f.apply(RecurrentCell.clip(pf, clip));
      }
      double cand = g.apply(RecurrentCell.clip(gates[gOff + 3 * n + j] + rec[rOff + 3 * n + j], clip));
      double cNew = fg * c + i * cand;
      double po = gates[gOff + n + j] + rec[rOff + n + j] + (p == null ? 0 : p[n + j] * cNew);
      double o = f.apply(RecurrentCell.clip(po, clip));
      cs[j] = cNew;
      hs[j] = o * h.apply(cNew);
    }
  }
}
