package dev.rnnx.data;

import dev.rnnx.spec.DataSpec;
import dev.rnnx.spec.SineTask;

/** Generates the data of any task a recipe names. */
public final class TaskData {

  private TaskData() {}

  /** The training and validation examples of a task, deterministic from {@code seed}. */
  public static Split generate(DataSpec spec, long seed) {
    if (spec instanceof SineTask sine) {
      return SineSeries.generate(sine, seed);
    }
    // TODO(issue 3): binary_addition, context_tagging and majority_tokens generators
    throw new IllegalArgumentException("no generator for data task '" + spec.task() + "'");
  }
}
