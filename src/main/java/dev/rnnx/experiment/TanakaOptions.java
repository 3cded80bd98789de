package dev.rnnx.experiment;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * How {@link TanakaExperiment} runs.
 *
 * <pre>{@code
 * TanakaOptions o = TanakaOptions.builder().out(dir).epochs(10)
 *     .test(Path.of("models/data/tanaka-enja/test.en.gz"), Path.of("models/data/tanaka-enja/test.ja.gz"))
 *     .limitPairs(5000)        // the first 5,000 training pairs only (0: all)
 *     .stopAfterEpochs(1)      // return after training this many epochs in this call, as if interrupted (0: never)
 *     .devSentences(500)       // dev BLEU on the first 500 dev pairs (0: all)
 *     .log(System.out).build();
 * }</pre>
 *
 * @param out the output folder: one folder per model with its state, and the comparison
 * @param epochs epochs per model
 * @param limitPairs use only the first this many training pairs; 0 for all
 * @param testSource the test sources, aligned with {@code testTarget}
 * @param testTarget the test references
 * @param stopAfterEpochs return once this call has trained this many epochs (to test resumption); 0 never
 * @param devSentences score dev BLEU on the first this many dev pairs; 0 for all (the validation loss always uses all)
 * @param log where progress lines go
 */
public record TanakaOptions(Path out, int epochs, int limitPairs, Path testSource, Path testTarget, int stopAfterEpochs, int devSentences,
    PrintStream log) {

  /** Checks the numbers and that every path is given. */
  public TanakaOptions {
    if (out == null || testSource == null || testTarget == null || log == null) {
      throw new IllegalArgumentException("the Tanaka experiment needs an output folder, test files and a log");
    }
    if (epochs < 1 || epochs > 99 || limitPairs < 0 || stopAfterEpochs < 0 || devSentences < 0) {
      throw new IllegalArgumentException("epochs is " + epochs + " (expected 1 … 99), limit-pairs " + limitPairs
          + ", stop-after " + stopAfterEpochs + " and dev-sentences " + devSentences + " (expected >= 0)");
    }
  }

  /** A builder: 10 epochs, every pair, no interruption, no log. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link TanakaOptions}. */
  public static final class Builder {
    private Path out;
    private int epochs = 10;
    private int limitPairs;
    private Path testSource;
    private Path testTarget;
    private int stopAfterEpochs;
    private int devSentences;
    private PrintStream log = new PrintStream(PrintStream.nullOutputStream());

    private Builder() {}

    /** The output folder. */
    public Builder out(Path v) {
      out = v;
      return this;
    }

    /** Epochs per model (default 10, as seed 001). */
    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    /** Only the first {@code v} training pairs (0: all). */
    public Builder limitPairs(int v) {
      limitPairs = v;
      return this;
    }

    /** The aligned test files. */
    public Builder test(Path source, Path target) {
      testSource = source;
      testTarget = target;
      return this;
    }

    /** Return after this many epochs trained in one call (0: never). */
    public Builder stopAfterEpochs(int v) {
      stopAfterEpochs = v;
      return this;
    }

    /** Score dev BLEU on the first {@code v} dev pairs (0: all). */
    public Builder devSentences(int v) {
      devSentences = v;
      return this;
    }

    /** Where progress lines go. */
    public Builder log(PrintStream v) {
      log = v;
      return this;
    }

    /** The options. */
    public TanakaOptions build() {
      return new TanakaOptions(out, epochs, limitPairs, testSource, testTarget, stopAfterEpochs, devSentences, log);
    }
  }
}
