package dev.rnnx.decode;

import dev.rnnx.spec.SpecialTokens;
import java.util.Arrays;

/**
 * Greedy decoding as the exported {@code greedy_decoder} forms define it: from BOS, read the last
 * token, take the argmax of the step's log-probabilities (ties to the lowest id), and stop after
 * EOS or {@code maxLength} tokens. {@link BeamSearch} at width 1 ranks the summed
 * log-probabilities instead; see its Javadoc for where the two can differ.
 */
public final class Greedy {

  private Greedy() {}

  /**
   * Decodes.
   *
   * @param maxLength the most tokens produced, EOS included; at least 1
   * @return the tokens produced, EOS included when it was produced
   * @throws IllegalArgumentException for a maximum length below 1
   */
  public static <S> int[] decode(Decoder<S> decoder, int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("max length " + maxLength + " must be at least 1");
    }
    int[] tokens = new int[maxLength];
    S state = decoder.start();
    int token = SpecialTokens.BOS;
    for (int t = 0; t < maxLength; t++) {
      Step<S> step = decoder.step(state, token);
      token = argmax(step.logProbs());
      tokens[t] = token;
      if (token == SpecialTokens.EOS) {
        return Arrays.copyOf(tokens, t + 1);
      }
      state = step.state();
    }
    return tokens;
  }

  /** The index of the largest value, the lowest on ties. */
  public static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
