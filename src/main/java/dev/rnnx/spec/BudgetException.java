package dev.rnnx.spec;

/**
 * A size over one of the {@link Budget} limits, refused before anything is allocated. It is bad
 * input (the CLI's exit code 2); the message names the thing, its size, the limit and the system
 * property that raises it.
 */
public final class BudgetException extends IllegalArgumentException {

  private final transient Budget budget;

  BudgetException(Budget budget, String thing, long value, long limit) {
    super(budget.message(thing, value, limit));
    this.budget = budget;
  }

  /** The limit that was exceeded. */
  public Budget budget() {
    return budget;
  }
}
