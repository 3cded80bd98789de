package dev.rnnx.spec;

/** A task of source and target token sequences for a {@link Seq2Seq} model. */
public sealed interface TranslationTask extends DataSpec permits DatesTask, ParallelTextTask {

  /** Source ids 0 … this − 1. */
  int sourceVocabulary();

  /** Target ids 0 … this − 1. */
  int targetVocabulary();

  /** The longest source. */
  int maxSourceLength();

  /** The longest target, EOS included. */
  int maxTargetLength();

  @Override
  default int sequenceLength() {
    return maxSourceLength();
  }
}
