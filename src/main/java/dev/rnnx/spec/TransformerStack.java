package dev.rnnx.spec;

/**
 * A stack of Transformer blocks of width {@code embedding_dim} (post-normalisation, no dropout):
 * as an encoder, {@link TransformerEncoder} blocks; as a decoder, blocks of causal self-attention,
 * cross-attention over the encoder memory (source padding masked) and a feed-forward part, each
 * followed by a residual sum and layer normalisation. Inputs are embeddings scaled by √d plus the
 * sinusoidal {@link PositionalEncoding}.
 *
 * @param layers blocks
 * @param heads attention heads; must divide the embedding width
 * @param ffDim feed-forward hidden width
 * @param epsilon layer normalisation epsilon
 */
public record TransformerStack(int layers, int heads, int ffDim, double epsilon) implements Seq2SeqPart {

  /** Validates the fields. */
  public TransformerStack {
    if (layers < 1 || heads < 1 || ffDim < 1) {
      throw new IllegalArgumentException("transformer layers " + layers + ", heads " + heads + " and ff_dim " + ffDim
          + " must be positive integers");
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("transformer epsilon is " + epsilon + ", expected > 0");
    }
  }

  @Override
  public String kind() {
    return "transformer";
  }
}
