package dev.rnnx.spec;

import java.util.List;
import java.util.Objects;

/**
 * Inputs that do not fit a model, refused in Java before any computation or native call: a wrong
 * input name, element type, rank or shape, a NaN or infinity, a value outside what the model
 * accepts, or an empty axis. An {@link IllegalArgumentException}, so the CLI reports it as bad
 * input (exit 2). {@link #problem()} says which kind of mistake came first and {@link #input()}
 * names the input to blame; the message lists every mistake found, one line each in the format of
 * {@link InputContract#check}.
 */
public class InvalidInputException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** What was wrong with the inputs. */
  public enum Problem {
    /** An input missing, unknown or {@code null}. */
    NAME,
    /** Floats where the model takes integers, or the reverse; an element type rnnx cannot feed. */
    DTYPE,
    /** A tensor of the wrong rank. */
    RANK,
    /**
     * A dimension that differs from the declared one, symbolic dimensions that disagree, or an axis
     * longer than the model serves.
     */
    SHAPE,
    /** A NaN or an infinity; rnnx models read finite values only. */
    NON_FINITE,
    /**
     * A value outside what the model reads: a token id outside the vocabulary, a length outside
     * 1 … T, an integer that does not fit the declared type, a word the vocabulary lacks.
     */
    OUT_OF_RANGE,
    /** An empty batch or axis, or no examples at all. */
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

  /** One exception for several mistakes: the first one's kind and input, every line in the message. */
  static InvalidInputException of(List<InputContract.Mistake> mistakes) {
    InputContract.Mistake first = mistakes.get(0);
    return new InvalidInputException(first.problem(), first.input(),
        String.join("; ", mistakes.stream().map(InputContract.Mistake::line).toList()));
  }

  /** The kind of (the first) mistake. */
  public Problem problem() {
    return problem;
  }

  /** The input to blame, or {@code null} when the inputs as a whole are wrong. */
  public String input() {
    return input;
  }
}
