package dev.rnnx.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recipe's sizes, estimated from the recipe alone before any data or graph is built, and their
 * check against the {@link Budget} limits. Every product is overflow-checked: a size that does not
 * fit a {@code long} counts as {@link Long#MAX_VALUE} and is over any limit.
 *
 * @param parameters trainable scalars of the model
 * @param activations rough activations of one training batch: batch × time steps × widest layer ×
 *     layers (the widest layer is the widest last dimension of any parameter, e.g. an LSTM's 4 × units)
 * @param data values of the generated data set: examples × time steps
 * @param steps estimated training steps: epochs × ⌈examples / batch size⌉
 */
public record RecipeBudget(long parameters, long activations, long data, long steps) {

  /** The figures of one recipe. */
  public static RecipeBudget of(Recipe recipe) {
    long parameters = 0;
    long widest = 1;
    Set<String> layers = new HashSet<>();
    try {
      List<ParameterSpec> params = recipe.model().parameters();
      for (ParameterSpec p : params) {
        parameters = Budget.plus(parameters, p.size());
        int[] shape = p.shape();
        if (shape.length > 0) {
          widest = Math.max(widest, shape[shape.length - 1]);
        }
        layers.add(p.name().contains("/") ? p.name().substring(0, p.name().indexOf('/')) : p.name());
      }
    } catch (ArithmeticException | NegativeArraySizeException e) {
      parameters = Long.MAX_VALUE; // a dimension such as 4 × units overflowed an int
    }
    long time = time(recipe);
    long examples = examples(recipe);
    TrainingSpec t = recipe.training();
    long activations = Budget.times(Budget.times(Budget.times(t.batchSize(), time), widest), Math.max(1, layers.size()));
    long data = Budget.times(examples, time);
    long stepsPerEpoch = examples / t.batchSize() + (examples % t.batchSize() == 0 ? 0 : 1);
    long steps = Budget.times(t.epochs(), stepsPerEpoch);
    return new RecipeBudget(parameters, activations, data, steps);
  }

  /**
   * Refuses a recipe over a limit, before anything is allocated for it.
   *
   * @param source the recipe's file, named in the message
   * @throws BudgetException naming the first figure over its limit
   */
  public static RecipeBudget check(Recipe recipe, String source) {
    RecipeBudget b = of(recipe);
    String thing = "recipe " + source;
    Budget.PARAMETERS.check(thing, b.parameters);
    Budget.ACTIVATIONS.check(thing, b.activations);
    Budget.DATA.check(thing, b.data);
    Budget.STEPS.check(thing, b.steps);
    return b;
  }

  /** Time steps of one training example (source plus target for seq2seq, the context span for word2vec). */
  private static long time(Recipe recipe) {
    if (recipe.model() instanceof Seq2Seq s && recipe.data() instanceof TranslationTask task) {
      return (long) Math.max(s.maxSourceLength(), task.maxSourceLength()) + Math.max(s.maxTargetLength(), task.maxTargetLength());
    }
    if (recipe.model() instanceof Word2Vec w) {
      return 2L * w.window() + 1;
    }
    return Math.max(recipe.data().sequenceLength(), 1);
  }

  /**
   * The lines of a data file (gunzipped when its name ends in {@code .gz}), counted while streaming
   * it, so in constant memory: an upper bound on its examples before anything is allocated for
   * them. 0 for a file that cannot be read (the data source then names the problem).
   */
  private static long lines(String file) {
    try (java.io.InputStream raw = java.nio.file.Files.newInputStream(java.nio.file.Path.of(file));
        java.io.InputStream in = file.endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw, 1 << 16)
            : new java.io.BufferedInputStream(raw, 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      long count = 1;
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        for (int i = 0; i < n; i++) {
          count += buf[i] == '\n' ? 1 : 0;
        }
      }
      return count;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** Training examples the task generates (word2vec: context windows, one per word of the corpus). */
  private static long examples(Recipe recipe) {
    DataSpec data = recipe.data();
    if (data instanceof SineTask s) {
      return s.samples();
    } else if (data instanceof BinaryAdditionTask b) {
      return b.samples();
    } else if (data instanceof ContextTaggingTask c) {
      return c.samples();
    } else if (data instanceof MajorityTokensTask m) {
      return m.samples();
    } else if (data instanceof DatesTask d) {
      return d.samples();
    } else if (data instanceof GrammarCorpusTask g) {
      return Budget.times(g.sentences(), g.sequenceLength());
    } else if (data instanceof ImportedTask) {
      return 0;
    } else if (data instanceof ArraysTask) {
      return 0; // the archive's arrays are checked against the budgets from their headers, before they are read
    } else if (data instanceof CsvSeriesTask c) {
      return lines(c.file()) / c.stride() + 1;
    } else if (data instanceof ParallelTextTask p) {
      return lines(p.trainSource());
    } else if (data instanceof LabeledTextTask l) {
      return lines(l.train());
    } else if (data instanceof TaggedTextTask g) {
      return lines(g.train()); // one line per token: an upper bound on the sentences
    } else if (data instanceof TextCorpusTask c) {
      return Budget.times(lines(c.train()), c.maxLength()); // at most one context window per kept word
    }
    throw new IllegalStateException("no size estimate for task '" + data.task() + "'");
  }
}
