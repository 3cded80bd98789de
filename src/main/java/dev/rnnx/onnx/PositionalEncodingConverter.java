package dev.rnnx.onnx;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link PositionalEncoding}: {@code x (· √d) + PE[:T]} with the {@code [max_length, d]}
 * sinusoidal table as an initializer ({@code <name>/table}), its first T rows taken by
 * {@code Slice} and then reshaped to {@code [T, d]}. {@code Slice} alone would clamp a sequence
 * longer than {@code max_length} to the table silently (and so would {@code Gather} over
 * {@code Range(0, T)}, which ONNX Runtime's optimizer rewrites into a Slice); the Reshape makes the
 * run fail instead, in ONNX Runtime and in the reference evaluator alike. Backends also refuse such
 * inputs before any native call.
 */
final class PositionalEncodingConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    PositionalEncoding pe = (PositionalEncoding) layer;
    TransformerOps.positionalEncoding(graph, pe.name(), input, graph.time(), pe.maxLength(), inputShape.dim(-1),
        pe.scaleInput(), outputs.get(0));
  }
}
