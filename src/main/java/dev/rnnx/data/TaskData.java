package dev.rnnx.data;

import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.ContextTaggingTask;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.DataSpec;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.GrammarCorpusTask;
import dev.rnnx.spec.ImportedTask;
import dev.rnnx.spec.MajorityTokensTask;
import dev.rnnx.spec.SineTask;
import dev.rnnx.spec.TextCorpusTask;
import dev.rnnx.spec.TranslationTask;

/** Generates the data of any task a recipe names. */
public final class TaskData {

  private TaskData() {}

  /** The training and validation examples of a sequence task, deterministic from {@code seed}. */
  public static Split generate(DataSpec spec, long seed) {
    if (spec instanceof SineTask sine) {
      return SineSeries.generate(sine, seed);
    }
    if (spec instanceof BinaryAdditionTask add) {
      return BinaryAddition.generate(add, seed);
    }
    if (spec instanceof ContextTaggingTask tag) {
      return ContextTagging.generate(tag, seed);
    }
    if (spec instanceof MajorityTokensTask maj) {
      return MajorityTokens.generate(maj, seed);
    }
    if (spec instanceof ImportedTask) {
      throw new IllegalArgumentException("data task 'imported' has no data: an imported model is verified, exported and served"
          + " as it is; fine-tune it with rnnx run RECIPE --init-from DIR, RECIPE naming the data");
    }
    throw new IllegalArgumentException("no generator for data task '" + spec.task() + "'");
  }

  /** The source/target pairs of a translation task, deterministic from {@code seed}. */
  public static TranslationSplit translation(TranslationTask spec, long seed) {
    if (spec instanceof DatesTask dates) {
      return Dates.generate(dates, seed);
    }
    throw new IllegalArgumentException("no generator for translation task '" + spec.task() + "'");
  }

  /** The sentences of a corpus task (generated, or read from its file and subsampled), deterministic from {@code seed}. */
  public static Corpus corpus(CorpusTask spec, long seed) {
    if (spec instanceof GrammarCorpusTask grammar) {
      return GrammarCorpus.generate(grammar, seed);
    }
    if (spec instanceof TextCorpusTask text) {
      return TextCorpus.read(text, seed).corpus();
    }
    throw new IllegalArgumentException("no generator for corpus task '" + spec.task() + "'");
  }

  /**
   * Splits i.i.d. examples: the last {@code max(1, round(N · fraction))} are held out.
   *
   * @throws IllegalArgumentException when no training example would remain
   */
  static Split holdOutLast(Dataset all, double fraction, String task) {
    int n = all.size();
    int validation = Math.max(1, (int) Math.round(n * fraction));
    if (validation >= n) {
      throw new IllegalArgumentException(task + ": data.samples " + n + " with validation_fraction " + fraction
          + " leaves no training examples");
    }
    return new Split(all.slice(0, n - validation), all.slice(n - validation, n));
  }
}
