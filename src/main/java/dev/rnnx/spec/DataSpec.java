package dev.rnnx.spec;

/**
 * Which generated task a recipe trains on, with the task's own settings. A {@link SequenceTask}
 * feeds a {@link Sequential} model, a {@link TranslationTask} a {@link Seq2Seq} model, a
 * {@link CorpusTask} a {@link Word2Vec} model; an {@link ImportedTask} (no data) any model read by
 * {@code rnnx import}; an {@link ArraysTask} (named arrays in {@code .npz} files) a {@link Graph} model.
 */
public sealed interface DataSpec permits SequenceTask, TranslationTask, CorpusTask, ImportedTask, ArraysTask {

  /** The task name as written in recipes. */
  String task();

  /** Time steps per training example (the longest, for variable-length tasks). */
  int sequenceLength();
}
