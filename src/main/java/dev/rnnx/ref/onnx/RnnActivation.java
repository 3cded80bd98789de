package dev.rnnx.ref.onnx;

import dev.rnnx.ref.RefMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One activation function of a recurrent operator ({@code RNN}, {@code GRU}, {@code LSTM}), with
 * its alpha and beta.
 *
 * <p>Names are matched ignoring case, as ONNX Runtime does. Alpha and beta values are taken from
 * {@code activation_alpha}/{@code activation_beta} in the order of the activations, one per
 * function that uses them; a function that finds its list exhausted takes the default of the ONNX
 * operator of the same name: LeakyRelu alpha 0.01, ThresholdedRelu alpha 1.0, HardSigmoid alpha 0.2
 * and beta 0.5, Elu alpha 1.0, Affine alpha 1.0 and beta 0.0, ScaledTanh alpha 1.0 and beta 1.0.
 * (ONNX Runtime defaults Affine, ScaledTanh and ThresholdedRelu to 0 instead: give the values
 * explicitly when exporting models that use them.)
 *
 * @param name the canonical name (as spelt in the ONNX specification)
 * @param alpha alpha, or NaN when unused
 * @param beta beta, or NaN when unused
 */
record RnnActivation(String name, double alpha, double beta) {

  private static final List<String> NAMES = List.of("Relu", "Tanh", "Sigmoid", "Affine", "LeakyRelu",
      "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu", "Softsign", "Softplus");

  /** Applies the function. */
  double apply(double x) {
    switch (name) {
      case "Relu":
        return Math.max(0, x);
      case "Tanh":
        return RefMath.tanh(x); // within 2 ulps of StrictMath.tanh (RefMathTest), without the native call
      case "Sigmoid":
        return ElementwiseOps.sigmoid(x);
      case "Affine":
        return alpha * x + beta;
      case "LeakyRelu":
        return x >= 0 ? x : alpha * x;
      case "ThresholdedRelu":
        return x > alpha ? x : 0;
      case "ScaledTanh":
        return alpha * RefMath.tanh(beta * x);
      case "HardSigmoid":
        return Math.min(1, Math.max(0, alpha * x + beta));
      case "Elu":
        return x >= 0 ? x : alpha * (Math.exp(x) - 1);
      case "Softsign":
        return x / (1 + Math.abs(x));
      case "Softplus":
        return ElementwiseOps.softplus(x);
      default:
        throw new IllegalStateException(name);
    }
  }

  /**
   * The activations of a recurrent node for every direction: {@code perDirection * directions}
   * functions, in the order (direction, function).
   *
   * @param names the {@code activations} attribute, or null for the defaults; a list for one
   *     direction is repeated for the second direction of a bidirectional node
   * @param defaults the defaults for one direction
   * @throws IllegalArgumentException for an unknown name or a list of the wrong length
   */
  static List<RnnActivation> parse(List<String> names, double[] alphas, double[] betas, List<String> defaults,
      int directions) {
    List<String> given = names == null || names.isEmpty() ? defaults : names;
    int perDirection = defaults.size();
    if (given.size() != perDirection && given.size() != perDirection * directions) {
      throw new IllegalArgumentException("activations " + given + " must list " + perDirection
          + (directions == 2 ? " or " + 2 * perDirection : "") + " functions");
    }
    double[] a = alphas == null ? new double[0] : alphas;
    double[] b = betas == null ? new double[0] : betas;
    int ai = 0;
    int bi = 0;
    List<RnnActivation> result = new ArrayList<>();
    for (String raw : given) {
      String name = canonical(raw);
      double alpha = Double.NaN;
      double beta = Double.NaN;
      if (usesAlpha(name)) {
        alpha = ai < a.length ? a[ai++] : defaultAlpha(name);
      }
      if (usesBeta(name)) {
        beta = bi < b.length ? b[bi++] : defaultBeta(name);
      }
      result.add(new RnnActivation(name, alpha, beta));
    }
    if (result.size() == perDirection && directions == 2) {
      result.addAll(new ArrayList<>(result));
    }
    return result;
  }

  private static String canonical(String raw) {
    for (String n : NAMES) {
      if (n.toLowerCase(Locale.ROOT).equals(raw.toLowerCase(Locale.ROOT))) {
        return n;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + raw + "', expected one of " + NAMES);
  }

  private static boolean usesAlpha(String name) {
    return List.of("Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu").contains(name);
  }

  private static boolean usesBeta(String name) {
    return List.of("Affine", "ScaledTanh", "HardSigmoid").contains(name);
  }

  private static double defaultAlpha(String name) {
    switch (name) {
      case "LeakyRelu":
        return 0.01;
      case "HardSigmoid":
        return 0.2;
      default: // Affine, ThresholdedRelu, ScaledTanh, Elu
        return 1.0;
    }
  }

  private static double defaultBeta(String name) {
    switch (name) {
      case "HardSigmoid":
        return 0.5;
      case "ScaledTanh":
        return 1.0;
      default: // Affine
        return 0.0;
    }
  }
}
