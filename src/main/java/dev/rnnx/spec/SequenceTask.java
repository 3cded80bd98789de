package dev.rnnx.spec;

/** A task of examples for a {@link Sequential} model: inputs per step, targets per example or per step. */
public sealed interface SequenceTask extends DataSpec permits SineTask, BinaryAdditionTask, ContextTaggingTask, MajorityTokensTask, CsvSeriesTask, LabeledTextTask,
    TaggedTextTask {

  /** The model input the task feeds: features or tokens, with or without lengths. */
  ModelInput modelInput();

  /** The shape of the targets, which the model's main output must have. */
  Shape targetShape();
}
