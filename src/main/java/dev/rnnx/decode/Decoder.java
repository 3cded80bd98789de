package dev.rnnx.decode;

/**
 * A decoder for one source sequence, one token at a time: the decoder-step function that {@link
 * BeamSearch} and {@link Greedy} search over.
 *
 * @param <S> what the decoder carries from step to step (RNN states, or the prefix read so far);
 *     never modified by {@link #step}
 */
public interface Decoder<S> {

  /** The state before BOS is read (the encoder's final state, or an empty prefix). */
  S start();

  /** Reads {@code token} in state {@code state}: the log-probabilities of the next token and the new state. */
  Step<S> step(S state, int token);

  /**
   * Reads {@code tokens} in turn from the start state (teacher forcing): the log-probabilities
   * after each token read, {@code [tokens.length][vocabulary]}.
   */
  default double[][] follow(int... tokens) {
    double[][] out = new double[tokens.length][];
    S state = start();
    for (int t = 0; t < tokens.length; t++) {
      Step<S> step = step(state, tokens[t]);
      out[t] = step.logProbs();
      state = step.state();
    }
    return out;
  }
}
