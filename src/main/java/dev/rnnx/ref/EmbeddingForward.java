package dev.rnnx.ref;

import dev.rnnx.spec.Embedding;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;

/** Row {@code id} of {@code embeddings [input_dim, output_dim]} for every token id of {@code [B, T]}. */
final class EmbeddingForward implements RefForward<Embedding> {

  @Override
  public List<DoubleTensor> forward(Embedding layer, RefInput input, Weights weights, TraceSink sink) {
    DoubleTensor ids = input.x();
    if (ids.rank() != 2) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' expects token ids (batch, time), got "
          + Arrays.toString(ids.shape()));
    }
    int dim = layer.outputDim();
    int vocabulary = layer.inputDim();
    double[] table = RecurrentCell.param(weights, layer.name() + "/embeddings", vocabulary * dim);
    double[] out = new double[ids.size() * dim];
    for (int i = 0; i < ids.size(); i++) {
      double v = ids.data()[i];
      if (v != Math.rint(v) || v < 0 || v >= vocabulary) {
        throw new IllegalArgumentException("layer '" + layer.name() + "': token id " + v + " at flat index " + i
            + " is not an integer in 0 … " + (vocabulary - 1));
      }
      System.arraycopy(table, (int) v * dim, out, i * dim, dim);
    }
    return List.of(new DoubleTensor(new long[] {ids.dim(0), ids.dim(1), dim}, out));
  }
}
