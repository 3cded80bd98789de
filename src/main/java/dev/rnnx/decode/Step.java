package dev.rnnx.decode;

/**
 * One decoder step's result.
 *
 * @param logProbs the log-probability of each target id
 * @param state the state after reading the token
 * @param <S> the decoder's state type
 */
public record Step<S>(double[] logProbs, S state) {}
