package dev.rnnx.fuzz;

/** What one mutant did to rnnx, as the harness classifies it. */
enum Outcome {
  /** Exit 0 with an answer that agrees with the pure-Java evaluator, or that it could not judge. */
  OK(false),
  /** Exit 2: refused as bad input, no stack trace. */
  REFUSED(false),
  /** Exit 1: parity does not hold. */
  PARITY_FAIL(false),
  /** Exit 4 ({@code verify}): no independent reference judged every case. */
  UNVERIFIED(false),
  /** Exit 3 with one line and no stack trace (rnnx's or the runtime's fault, said plainly). */
  INTERNAL(false),
  /** A stack trace shown to the user (any exit code). */
  STACK_TRACE(true),
  /** The process died: a native abort or crash, a kill by signal. */
  KILLED(true),
  /** Out of memory: the one-line message (exit 3) or a native allocation failure. */
  OOM(true),
  /** No answer within the harness's timeout. */
  HANG(true),
  /** Exit 0 with an answer the pure-Java evaluator disagrees with. */
  WRONG_ANSWER(true);

  private final boolean failure;

  Outcome(boolean failure) {
    this.failure = failure;
  }

  /** Whether the bar forbids it (deaths, hangs, OOM, stack traces, wrong answers). */
  boolean failure() {
    return failure;
  }
}
