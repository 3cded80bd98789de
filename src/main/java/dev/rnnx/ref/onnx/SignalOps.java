package dev.rnnx.ref.onnx;

import java.util.List;

/**
 * Signal processing: {@code DFT} (forward or inverse, real or complex input, {@code onesided},
 * {@code dft_length}, along {@code axis}), {@code STFT} (framed, windowed DFTs) and
 * {@code MelWeightMatrix}. Transforms are computed directly (O(n^2)) in double precision; complex
 * values are a trailing dimension of 2 (real, imaginary).
 */
final class SignalOps {

  private SignalOps() {}

  /** The DFT of n complex samples (re, im) at stride {@code step}, bins 0..bins-1. */
  private static void dft(double[] re, double[] im, int len, int n, boolean inverse, int bins, double[] outRe,
      double[] outIm) {
    double sign = inverse ? 1 : -1;
    for (int k = 0; k < bins; k++) {
      double sr = 0;
      double si = 0;
      for (int t = 0; t < Math.min(len, n); t++) {
        double ang = sign * 2 * Math.PI * ((long) k * t % n) / n;
        double c = Math.cos(ang);
        double s = Math.sin(ang);
        sr += re[t] * c - im[t] * s;
        si += re[t] * s + im[t] * c;
      }
      outRe[k] = inverse ? sr / n : sr;
      outIm[k] = inverse ? si / n : si;
    }
  }

  static List<Value> dft(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    Value lenV = Node.input(in, 1);
    int r = x.rank();
    int axis = Shapes.axis(node.getInt("axis", 1), r - 1, "axis");
    boolean inverse = node.getInt("inverse", 0) != 0;
    boolean onesided = node.getInt("onesided", 0) != 0;
    int comps = (int) x.dim(-1);
    if (comps != 1 && comps != 2) {
      throw new IllegalArgumentException("the last dimension must be 1 (real) or 2 (complex), got "
          + Shapes.str(x.shapeRef()));
    }
    int len = (int) x.dim(axis);
    int n = lenV == null ? len : (int) lenV.getLong(0);
    int bins = onesided ? n / 2 + 1 : n;
    int outer = Shapes.product(x.shapeRef(), 0, axis);
    int inner = Shapes.product(x.shapeRef(), axis + 1, r - 1);
    long[] shape = x.shape();
    shape[axis] = bins;
    shape[r - 1] = 2;
    double[] y = new double[Shapes.size(shape)];
    double[] re = new double[len];
    double[] im = new double[len];
    double[] or = new double[bins];
    double[] oi = new double[bins];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        for (int t = 0; t < len; t++) {
          int off = ((o * len + t) * inner + i) * comps;
          re[t] = x.getDouble(off);
          im[t] = comps == 2 ? x.getDouble(off + 1) : 0;
        }
        dft(re, im, len, n, inverse, bins, or, oi);
        for (int k = 0; k < bins; k++) {
          int off = ((o * bins + k) * inner + i) * 2;
          y[off] = or[k];
          y[off + 1] = oi[k];
        }
      }
    }
    return List.of(Value.wrapDoubles(x.type(), shape, y));
  }

  static List<Value> stft(Node node, List<Value> in) {
    Value x = node.required(in, 0, "signal");
    long step = node.required(in, 1, "frame_step").getLong(0);
    Value window = Node.input(in, 2);
    Value flV = Node.input(in, 3);
    boolean onesided = node.getInt("onesided", 1) != 0;
    int batch = (int) x.dim(0);
    int len = (int) x.dim(1);
    int comps = x.rank() > 2 ? (int) x.dim(2) : 1;
    int fl = flV != null ? (int) flV.getLong(0) : (int) window.dim(0);
    int frames = (int) ((len - fl) / step + 1);
    int bins = onesided ? fl / 2 + 1 : fl;
    double[] y = new double[batch * frames * bins * 2];
    double[] re = new double[fl];
    double[] im = new double[fl];
    double[] or = new double[bins];
    double[] oi = new double[bins];
    for (int b = 0; b < batch; b++) {
      for (int f = 0; f < frames; f++) {
        for (int t = 0; t < fl; t++) {
          int off = (int) ((b * len + f * step + t) * comps);
          double wv = window == null ? 1 : window.getDouble(t);
          re[t] = x.getDouble(off) * wv;
          im[t] = comps == 2 ? x.getDouble(off + 1) * wv : 0;
        }
        dft(re, im, fl, fl, false, bins, or, oi);
        for (int k = 0; k < bins; k++) {
          int off = ((b * frames + f) * bins + k) * 2;
          y[off] = or[k];
          y[off + 1] = oi[k];
        }
      }
    }
    return List.of(Value.wrapDoubles(x.type(), new long[] {batch, frames, bins, 2}, y));
  }

  /** {@code MelWeightMatrix}: triangular filters between mel-spaced frequencies, as ONNX's reference builds them. */
  static List<Value> melWeightMatrix(Node node, List<Value> in) {
    int mels = (int) node.required(in, 0, "num_mel_bins").getLong(0);
    long dftLength = node.required(in, 1, "dft_length").getLong(0);
    long rate = node.required(in, 2, "sample_rate").getLong(0);
    double lo = node.required(in, 3, "lower_edge_hertz").getDouble(0);
    double hi = node.required(in, 4, "upper_edge_hertz").getDouble(0);
    DataType type = DataType.fromOnnx((int) node.getInt("output_datatype", DataType.FLOAT.onnxCode()));
    int spectrogramBins = (int) (dftLength / 2 + 1);
    double loMel = 2595 * Math.log10(1 + lo / 700);
    double hiMel = 2595 * Math.log10(1 + hi / 700);
    double step = (hiMel - loMel) / (mels + 2);
    int[] f = new int[mels + 2];
    for (int i = 0; i < f.length; i++) {
      double hz = 700 * (Math.pow(10, (i * step + loMel) / 2595) - 1);
      f[i] = (int) Math.floor((dftLength + 1) * hz / rate);
    }
    double[] out = new double[spectrogramBins * mels];
    for (int i = 0; i < mels; i++) {
      int lower = f[i];
      int center = f[i + 1];
      int higher = f[i + 2];
      if (center == lower) {
        out[center * mels + i] = 1;
      } else {
        for (int j = lower; j <= center; j++) {
          out[j * mels + i] = (double) (j - lower) / (center - lower);
        }
      }
      for (int j = center; j < higher; j++) {
        out[j * mels + i] = (double) (higher - j) / (higher - center);
      }
    }
    return List.of(Value.ofNumbers(type, new long[] {spectrogramBins, mels}, out));
  }
}
