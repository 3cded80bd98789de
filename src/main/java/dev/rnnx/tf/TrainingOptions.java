package dev.rnnx.tf;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * How a training run goes beyond the recipe, for every model kind ({@link Trainer#train}): callbacks, periodic evaluation,
 * early stopping, checkpoints and resumption.
 *
 * <pre>{@code
 * TrainingOptions options = TrainingOptions.builder()
 *     .listener(listener)
 *     .evaluateEvery(100)                                     // steps
 *     .stopWhen(e -> e.metric("exact_match") == 1.0)
 *     .checkpointDir(dir).checkpointEvery(1)                  // epochs
 *     .resume(dir)                                            // continue from dir's checkpoint
 *     .logDir(runDir.resolve("logs"))                         // TensorBoard event files
 *     .build();
 * }</pre>
 *
 * <p>A checkpoint holds every graph variable (parameters, optimiser slots, Adam's power
 * accumulators), the step count and the histories; shuffling depends only on the seed and the
 * epoch number, so a resumed run reaches bit for bit the weights of an uninterrupted one. A run
 * ended by {@code stopWhen} writes no checkpoint of its partial epoch.
 *
 * @param listener progress callbacks
 * @param evaluateEvery evaluate the validation set every this many optimisation steps (counted over
 *     the whole training); 0 never
 * @param stopWhen checked after every periodic evaluation; training ends when it holds; null never
 * @param checkpointDir where checkpoints are written; null for none
 * @param checkpointEvery write a checkpoint after every this many epochs (and after the last)
 * @param resume a checkpoint folder to continue from; null to start afresh. The checkpoint must
 *     come from the same model, training settings (the epoch count aside), seed and data
 * @param stopAfterEpochs end once this many epochs of the whole training are done, as if
 *     interrupted (to test resumption); 0 never
 * @param logDir where TensorBoard event files of the per-epoch scalars go ({@code train/} and
 *     {@code validation/} inside, as {@link TensorBoardLog} says); null for none
 * @param initialWeights the weights training starts from (fine-tuning, {@code rnnx run --init-from});
 *     null for the recipe's initializers. They must fit the recipe's model
 * @param initialSource where the initial weights came from (the folder, its weights' SHA-256, the
 *     file it was imported from), recorded in {@code report.json}; empty when training starts afresh
 */
public record TrainingOptions(TrainingListener listener, int evaluateEvery, Predicate<Evaluation> stopWhen,
    Path checkpointDir, int checkpointEvery, Path resume, int stopAfterEpochs, Path logDir,
    dev.rnnx.weights.Weights initialWeights, java.util.Map<String, String> initialSource) {

  /** Checks the numbers. */
  public TrainingOptions {
    initialSource = initialSource == null ? java.util.Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(initialSource));
    if (listener == null) {
      listener = TrainingListener.NONE;
    }
    if (evaluateEvery < 0 || checkpointEvery < 1 || stopAfterEpochs < 0) {
      throw new IllegalArgumentException("evaluateEvery " + evaluateEvery + " and stopAfterEpochs " + stopAfterEpochs
          + " must be >= 0, checkpointEvery " + checkpointEvery + " >= 1");
    }
  }

  /** These options with TensorBoard event files written under {@code dir}. */
  public TrainingOptions withLogDir(Path dir) {
    return new TrainingOptions(listener, evaluateEvery, stopWhen, checkpointDir, checkpointEvery, resume, stopAfterEpochs, dir,
        initialWeights, initialSource);
  }

  /** Default options: no listener, no evaluation, no checkpoints, no event files. */
  public static TrainingOptions defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link TrainingOptions}. */
  public static final class Builder {
    private TrainingListener listener = TrainingListener.NONE;
    private int evaluateEvery;
    private Predicate<Evaluation> stopWhen;
    private Path checkpointDir;
    private int checkpointEvery = 1;
    private Path resume;
    private dev.rnnx.weights.Weights initialWeights;
    private java.util.Map<String, String> initialSource;
    private int stopAfterEpochs;
    private Path logDir;

    private Builder() {}

    /** Progress callbacks. */
    public Builder listener(TrainingListener v) {
      listener = v;
      return this;
    }

    /** Evaluate the validation set every {@code steps} optimisation steps (0: never). */
    public Builder evaluateEvery(int steps) {
      evaluateEvery = steps;
      return this;
    }

    /** End training at the first periodic evaluation for which {@code condition} holds. */
    public Builder stopWhen(Predicate<Evaluation> condition) {
      stopWhen = condition;
      return this;
    }

    /** Write checkpoints into {@code dir}. */
    public Builder checkpointDir(Path dir) {
      checkpointDir = dir;
      return this;
    }

    /** Write a checkpoint after every {@code epochs} epochs (default 1) and after the last. */
    public Builder checkpointEvery(int epochs) {
      checkpointEvery = epochs;
      return this;
    }

    /** Start training from these weights (fine-tuning) instead of the recipe's initializers. */
    public Builder initialWeights(dev.rnnx.weights.Weights w) {
      initialWeights = w;
      return this;
    }

    /** Records where the initial weights came from ({@code report.json}'s {@code data.init_from}). */
    public Builder initialSource(java.util.Map<String, String> source) {
      initialSource = source;
      return this;
    }

    /** Continue from the checkpoint in {@code dir}. */
    public Builder resume(Path dir) {
      resume = dir;
      return this;
    }

    /** End after {@code epochs} epochs, as if interrupted (0: never). */
    public Builder stopAfterEpochs(int epochs) {
      stopAfterEpochs = epochs;
      return this;
    }

    /** Write TensorBoard event files of the per-epoch scalars under {@code dir}. */
    public Builder logDir(Path dir) {
      logDir = dir;
      return this;
    }

    /** The options. */
    public TrainingOptions build() {
      return new TrainingOptions(listener, evaluateEvery, stopWhen, checkpointDir, checkpointEvery, resume, stopAfterEpochs, logDir,
          initialWeights, initialSource);
    }
  }
}
