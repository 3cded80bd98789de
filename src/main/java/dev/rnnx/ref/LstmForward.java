package dev.rnnx.ref;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Lstm;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * The LSTM equations of {@link Lstm}, step by step in double precision, on the canonical
 * parameters (gate blocks i, f, c, o). Initial states are zero.
 */
final class LstmForward implements RefForward<Lstm> {

  @Override
  public List<DoubleTensor> forward(Lstm layer, DoubleTensor input, Weights weights) {
    int batch = input.dim(0);
    int steps = input.dim(1);
    int in = input.dim(2);
    int h = layer.units();
    float[] kernel = weights.get(layer.name() + "/kernel").data();
    float[] recurrent = weights.get(layer.name() + "/recurrent_kernel").data();
    float[] bias = layer.useBias() ? weights.get(layer.name() + "/bias").data() : new float[4 * h];
    Activation a = layer.activation();
    Activation r = layer.recurrentActivation();

    double[] sequence = layer.returnSequences() ? new double[batch * steps * h] : null;
    double[] lastH = new double[batch * h];
    double[] lastC = new double[batch * h];
    double[] z = new double[4 * h];
    for (int b = 0; b < batch; b++) {
      double[] hPrev = new double[h];
      double[] cPrev = new double[h];
      for (int t = 0; t < steps; t++) {
        int xOff = (b * steps + t) * in;
        for (int g = 0; g < 4 * h; g++) {
          double s = bias[g];
          for (int k = 0; k < in; k++) {
            s += input.data()[xOff + k] * kernel[k * 4 * h + g];
          }
          for (int k = 0; k < h; k++) {
            s += hPrev[k] * recurrent[k * 4 * h + g];
          }
          z[g] = s;
        }
        for (int j = 0; j < h; j++) {
          double i = r.apply(z[j]);
          double f = r.apply(z[h + j]);
          double cCandidate = a.apply(z[2 * h + j]);
          double o = r.apply(z[3 * h + j]);
          cPrev[j] = f * cPrev[j] + i * cCandidate;
          hPrev[j] = o * a.apply(cPrev[j]);
        }
        if (sequence != null) {
          System.arraycopy(hPrev, 0, sequence, (b * steps + t) * h, h);
        }
      }
      System.arraycopy(hPrev, 0, lastH, b * h, h);
      System.arraycopy(cPrev, 0, lastC, b * h, h);
    }
    List<DoubleTensor> outputs = new ArrayList<>();
    outputs.add(sequence != null
        ? new DoubleTensor(new long[] {batch, steps, h}, sequence)
        : new DoubleTensor(new long[] {batch, h}, lastH.clone()));
    if (layer.returnState()) {
      outputs.add(new DoubleTensor(new long[] {batch, h}, lastH));
      outputs.add(new DoubleTensor(new long[] {batch, h}, lastC));
    }
    return outputs;
  }
}
