package dev.rnnx.djl;

import java.util.Objects;

/**
 * A request that does not fit the model, refused in Java before any native call: a wrong input
 * name, element type, rank or shape, a NaN or infinity, a value outside what the model accepts,
 * or an empty batch. An {@link IllegalArgumentException}, so the CLI reports it as bad input
 * (exit 2); {@link #problem()} says which kind of mistake it was and {@link #input()} names the
 * input when one is to blame.
 */
public class InvalidInputException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** What was wrong with the request. */
  public enum Problem {
    /** An input missing, unknown or {@code null}. */
    NAME,
    /** Floats where the model takes integers, or the reverse; an element type rnnx cannot feed. */
    DTYPE,
    /** A tensor of the wrong rank. */
    RANK,
    /** A dimension that differs from the declared one, or symbolic dimensions that disagree. */
    SHAPE,
    /** A NaN or an infinity; rnnx models read finite values only. */
    NON_FINITE,
    /**
     * A value outside what the model reads: a token id outside the vocabulary, a length outside
     * 1 … T, an integer that does not fit the declared type, a word the vocabulary lacks.
     */
    OUT_OF_RANGE,
    /** An empty batch, or a tensor with no elements. */
    EMPTY
  }

  private final Problem problem;
  private final String input;

  /**
   * @param problem the kind of mistake
   * @param input the input to blame, or {@code null}
   * @param message the whole message: what was given and what the model expects
   */
  public InvalidInputException(Problem problem, String input, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
    this.input = input;
  }

  /** The kind of mistake. */
  public Problem problem() {
    return problem;
  }

  /** The input to blame, or {@code null} when the request as a whole is wrong. */
  public String input() {
    return input;
  }
}
