package dev.rnnx.spec;

/** Which generated task a recipe trains on, with the task's own settings. */
public sealed interface DataSpec permits SineTask {

  /** The task name as written in recipes. */
  String task();

  /** Time steps per training example. */
  int sequenceLength();

  /** Fraction of the generated examples held out for validation. */
  double validationFraction();
}
