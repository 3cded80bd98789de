package dev.rnnx.decode;

import dev.rnnx.spec.SpecialTokens;

/**
 * How a search runs ({@link BeamSearch#search(Decoder, SearchOptions, int)}): beam width (1 is
 * greedy decoding), GNMT length penalty α ({@code ((5 + len) / 6)^α}; 0 ranks by summed
 * log-probability), the longest output (at most the model's {@code max_target_length}) and the
 * token that ends a hypothesis.
 *
 * @param beamWidth hypotheses kept per step, at least 1
 * @param lengthPenalty α, at least 0
 * @param maxLength the longest output in tokens, EOS included; 0 means the model's limit
 * @param endToken the token id that ends a hypothesis (the vocabulary's EOS by default)
 */
public record SearchOptions(int beamWidth, double lengthPenalty, int maxLength, int endToken) {

  /** Greedy decoding up to the model's limit. */
  public static final SearchOptions GREEDY = new SearchOptions(1, 0, 0);

  /** Options ending at EOS. */
  public SearchOptions(int beamWidth, double lengthPenalty, int maxLength) {
    this(beamWidth, lengthPenalty, maxLength, SpecialTokens.EOS);
  }

  /** Validates the options. */
  public SearchOptions {
    if (beamWidth < 1) {
      throw new IllegalArgumentException("beam width is " + beamWidth + ", expected at least 1 (1 is greedy decoding)");
    }
    if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
      throw new IllegalArgumentException("length penalty is " + lengthPenalty + ", expected a finite number >= 0");
    }
    if (endToken < 0) {
      throw new IllegalArgumentException("end token is " + endToken + ", expected a token id >= 0");
    }
    if (maxLength < 0) {
      throw new IllegalArgumentException("max length is " + maxLength + ", expected >= 1, or 0 for the model's limit");
    }
  }

  /** The same options ending at {@code token}. */
  public SearchOptions withEndToken(int token) {
    return new SearchOptions(beamWidth, lengthPenalty, maxLength, token);
  }

  /** The longest output for a model whose limit is {@code limit}: {@link #maxLength}, 0 read as the limit, capped at it. */
  public int maxLength(int limit) {
    return maxLength == 0 ? limit : Math.min(maxLength, limit);
  }
}
