package dev.rnnx.onnx;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Normalization;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link Normalization} as {@code Add} then {@code Mul} ({@code (x + (−mean)) · (1/σ)}, exactly
 * {@code x − mean} in float), or inverted {@code Mul} then {@code Add} ({@code x · σ + mean}), with
 * {@code [d]} initializers {@code <name>/mean} (negated when normalising) and {@code <name>/scale}
 * broadcast over the last axis.
 */
final class NormalizationConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    Normalization z = (Normalization) layer;
    float[][] c = z.graphConstants();
    float[] m = c[0];
    float[] s = c[1];
    String n = z.name();
    String meanName = graph.initializer(n + "/mean", FloatTensor.of(m, m.length));
    String scaleName = graph.initializer(n + "/scale", FloatTensor.of(s, s.length));
    if (z.invert()) {
      graph.node("Mul", n + "/Mul", List.of(input, scaleName), List.of(n + "/scaled"));
      graph.node("Add", n + "/Add", List.of(n + "/scaled", meanName), List.of(outputs.get(0)));
    } else {
      graph.node("Add", n + "/Add", List.of(input, meanName), List.of(n + "/centred"));
      graph.node("Mul", n + "/Mul", List.of(n + "/centred", scaleName), List.of(outputs.get(0)));
    }
  }
}
