package dev.rnnx.decode;

import dev.rnnx.spec.SpecialTokens;
import java.util.Arrays;

/**
 * A finished hypothesis of a search.
 *
 * @param tokens the tokens produced, EOS included when it was produced
 * @param logProb the sum of the tokens' log-probabilities
 * @param score {@code logProb / lp(tokens.length)} ({@link BeamSearch#lengthPenalty})
 * @param order the position in which it finished (0 = first)
 */
public record Hypothesis(int[] tokens, double logProb, double score, int order) {

  /** Copies the tokens. */
  public Hypothesis {
    tokens = tokens.clone();
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  /** Whether it ended with EOS. */
  public boolean ended() {
    return tokens.length > 0 && tokens[tokens.length - 1] == SpecialTokens.EOS;
  }

  /** The tokens padded to {@code length} with PAD, as {@code tokens} outputs are. */
  public long[] padded(int length) {
    long[] out = new long[length];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = tokens[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return "Hypothesis" + Arrays.toString(tokens) + " logprob " + logProb + " score " + score;
  }
}
