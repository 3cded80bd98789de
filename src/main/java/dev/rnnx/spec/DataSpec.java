package dev.rnnx.spec;

/** Which generated task a recipe trains on, with the task's own settings. */
public sealed interface DataSpec permits SineTask, BinaryAdditionTask, ContextTaggingTask, MajorityTokensTask {

  /** The task name as written in recipes. */
  String task();

  /** Time steps per training example (the longest, for variable-length tasks). */
  int sequenceLength();

  /** The model input the task feeds: features or tokens, with or without lengths. */
  ModelInput modelInput();

  /** The shape of the targets, which the model's main output must have. */
  Shape targetShape();
}
