package dev.rnnx.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.data.Split;
import dev.rnnx.data.TaskData;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.tf.Evaluation;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The seeds' binary-addition grid (001, 004): the base recipe and its variations in activation,
 * initial weights, learning rate and width, each trained with several seeds. A run counts as
 * solved at the first evaluation (every {@value #EVALUATE_EVERY} steps) at which all held-out sums
 * are exactly right.
 *
 * <p>"Xavier" and "He" are the seeds' own: N(0, 1/fan_in) and N(0, 2/fan_in) for each of W_in, W
 * and W_out (not Keras's Glorot and He, which use other fans and truncation).
 */
public final class BinaryAdditionExperiment {

  /** Evaluation interval in optimisation steps (the seeds plot every 100 iterations). */
  public static final int EVALUATE_EVERY = 100;

  private BinaryAdditionExperiment() {}

  /** The seeds' grid, derived from the base recipe (models/binary-addition.yaml). */
  public static List<Variant> grid() {
    return List.of(
        new Variant("sigmoid N(0,1)", "sigmoid, weights N(0, 1), learning rate 0.1, hidden 16 (the base)", r -> r,
            "about 6,000"),
        new Variant("sigmoid Xavier", "sigmoid, Xavier weights", r -> variant(r, 16, Activation.SIGMOID, xavier(), 0.1),
            "about 4,000"),
        new Variant("Xavier lr 0.2", "sigmoid, Xavier, learning rate 0.2", r -> variant(r, 16, Activation.SIGMOID, xavier(), 0.2),
            "about 3,000"),
        new Variant("Xavier lr 0.05", "sigmoid, Xavier, learning rate 0.05", r -> variant(r, 16, Activation.SIGMOID, xavier(), 0.05),
            "slower than lr 0.1"),
        new Variant("Xavier hidden 32", "sigmoid, Xavier, hidden 32", r -> variant(r, 32, Activation.SIGMOID, xavier(), 0.1),
            "shown, no figure"),
        new Variant("std 0.5", "sigmoid, weights N(0, 0.5²)", r -> variant(r, 16, Activation.SIGMOID, fixed(0.5), 0.1),
            "slower than std 1"),
        new Variant("std 2.0", "sigmoid, weights N(0, 2²)", r -> variant(r, 16, Activation.SIGMOID, fixed(2.0), 0.1),
            "slower than std 1"),
        new Variant("ReLU He", "ReLU hidden layer, He weights", r -> variant(r, 16, Activation.RELU, he(), 0.1),
            "gradient diverged, did not learn"),
        new Variant("tanh He", "tanh hidden layer, He weights", r -> variant(r, 16, Activation.TANH, he(), 0.1),
            "gradient diverged, did not learn"));
  }

  /** The standard deviation of a weight matrix from its fan-in. */
  private interface Scale {
    double std(int fanIn);
  }

  private static Scale xavier() {
    return fanIn -> 1 / Math.sqrt(fanIn);
  }

  private static Scale he() {
    return fanIn -> Math.sqrt(2.0 / fanIn);
  }

  private static Scale fixed(double std) {
    return fanIn -> std;
  }

  /** The base recipe with another width, hidden activation, weight scale and learning rate. */
  static Recipe variant(Recipe base, int hidden, Activation activation, Scale scale, double learningRate) {
    Sequential m = base.sequential();
    SimpleRnn rnn = (SimpleRnn) m.layers().get(0);
    TimeDistributed head = (TimeDistributed) m.layers().get(1);
    SimpleRnn newRnn = SimpleRnn.builder(rnn.name(), hidden).activation(activation).useBias(rnn.useBias())
        .returnSequences(true)
        .kernelInitializer(Initializer.normal(scale.std(m.inputFeatures())))
        .recurrentInitializer(Initializer.normal(scale.std(hidden)))
        .build();
    Dense d = head.layer();
    Dense newDense = new Dense(d.name(), d.units(), d.activation(), d.useBias(), Initializer.normal(scale.std(hidden)), d.biasInitializer());
    TrainingSpec t = base.training();
    return new Recipe(base.name(), base.description(), base.seed(),
        new Sequential(m.name(), m.input(), List.of(newRnn, new TimeDistributed(head.name(), newDense))),
        base.data(), new TrainingSpec(t.loss(), t.optimizer(), learningRate, t.epochs(), t.batchSize(), t.clipping(), t.accuracy()),
        base.export(), base.tolerances());
  }

  /** The base recipe with another seed and step count. */
  static Recipe withSeedAndSteps(Recipe r, int seed, int steps) {
    BinaryAdditionTask task = (BinaryAdditionTask) r.data();
    TrainingSpec t = r.training();
    return new Recipe(r.name(), r.description(), seed, r.model(), new BinaryAdditionTask(task.bits(), steps, task.heldOut()),
        new TrainingSpec(t.loss(), t.optimizer(), t.learningRate(), 1, 1, t.clipping(), true), r.export(), r.tolerances());
  }

  /**
   * Runs every variant with seeds 1 … {@code seeds}, {@code threads} runs at a time.
   *
   * @throws IllegalArgumentException when the base recipe is not a binary-addition recipe
   */
  public static List<VariantResult> run(Recipe base, List<Variant> variants, int seeds, int steps, int threads, PrintStream log) {
    if (!(base.data() instanceof BinaryAdditionTask) || base.sequential().layers().size() != 2
        || !(base.sequential().layers().get(0) instanceof SimpleRnn) || !(base.sequential().layers().get(1) instanceof TimeDistributed)) {
      throw new IllegalArgumentException("recipe '" + base.name() + "' is not a binary-addition recipe: expected task "
          + BinaryAdditionTask.TASK + " and layers simple_rnn -> time_distributed(dense)");
    }
    if (seeds < 1 || steps < EVALUATE_EVERY || threads < 1) {
      throw new IllegalArgumentException("seeds " + seeds + ", steps " + steps + " and threads " + threads
          + " must be >= 1, >= " + EVALUATE_EVERY + " and >= 1");
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<List<Future<SeedRun[]>>> futures = new ArrayList<>();
      for (Variant v : variants) {
        List<Future<SeedRun[]>> row = new ArrayList<>();
        for (int s = 1; s <= seeds; s++) {
          Recipe recipe = withSeedAndSteps(v.change().apply(base), s, steps);
          row.add(pool.submit(() -> {
            Split data = TaskData.generate(recipe.data(), recipe.seed());
            SeedRun r = runOne(recipe, data);
            SeedRun seedCode = SeedCodeReplica.run(recipe, data, SeedCodeReplica.Gradient.SEED_CODE, EVALUATE_EVERY);
            SeedRun trueGradient = SeedCodeReplica.run(recipe, data, SeedCodeReplica.Gradient.TRUE, EVALUATE_EVERY);
            synchronized (log) {
              log.printf(Locale.ROOT, "%-18s seed %d: rnnx %s, held-out loss %.4f, exact %.3f (%.1f s); seeds' code %s; true gradient %s%n",
                  v.name(), r.seed(), solvedText(r), r.finalLoss(), r.finalExactMatch(), r.seconds(), solvedText(seedCode),
                  solvedText(trueGradient));
            }
            return new SeedRun[] {r, seedCode, trueGradient};
          }));
        }
        futures.add(row);
      }
      List<VariantResult> results = new ArrayList<>();
      for (int i = 0; i < variants.size(); i++) {
        List<SeedRun> runs = new ArrayList<>();
        List<SeedRun> seedCode = new ArrayList<>();
        List<SeedRun> trueGradient = new ArrayList<>();
        for (Future<SeedRun[]> f : futures.get(i)) {
          SeedRun[] r = f.get();
          runs.add(r[0]);
          seedCode.add(r[1]);
          trueGradient.add(r[2]);
        }
        results.add(new VariantResult(variants.get(i), runs, seedCode, trueGradient));
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("experiment interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static String solvedText(SeedRun r) {
    return r.converged() ? "solved at step " + r.stepsToSolve() : "not solved";
  }

  private static SeedRun runOne(Recipe recipe, Split data) {
    TrainingResult result = Trainer.train(recipe, data, TrainingOptions.builder().evaluateEvery(EVALUATE_EVERY).build());
    List<Integer> steps = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    int solved = -1;
    double exact = Double.NaN;
    for (Evaluation e : result.evaluations()) {
      steps.add(e.step());
      losses.add(e.validationLoss());
      exact = e.metric("exact_match");
      if (solved < 0 && exact == 1.0) {
        solved = e.step();
      }
    }
    return new SeedRun((int) recipe.seed(), solved, losses.isEmpty() ? result.finalValidationLoss() : losses.get(losses.size() - 1),
        exact, steps, losses, result.seconds());
  }

  /** A Markdown table of the results. */
  public static String table(List<VariantResult> results, int steps) {
    StringBuilder sb = new StringBuilder();
    sb.append("| variant | seeds' report | rnnx (TF): median steps (solved) | steps per seed | still 100 % at the end"
        + " | mean final held-out loss | seeds' code replayed | same, true gradient |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (VariantResult r : results) {
      long stable = r.runs().stream().filter(x -> x.finalExactMatch() == 1.0).count();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d/%d | %.4f | %s | %s |%n", r.variant().description(),
          r.variant().seedReport(), VariantResult.summary(r.runs()), r.perSeed(), stable, r.runs().size(), r.meanFinalLoss(),
          VariantResult.summary(r.seedCode()), VariantResult.summary(r.trueGradient())));
    }
    sb.append(String.format(Locale.ROOT, "%nSteps to 100 %%: the first evaluation (every %d steps) at which all 1,000 held-out"
        + " sums are exactly right; plain SGD on one example per step, %,d steps in all; \"—\": not solved. Loss: ½ Σ (y − d)²"
        + " per sum. The last two columns replay the seeds' NumPy algorithm in Java on the same examples (SeedCodeReplica).%n",
        EVALUATE_EVERY, steps));
    return sb.toString();
  }

  /** Writes {@code results.json}, {@code results.md} and {@code loss.png} into {@code dir}. */
  public static void write(Path dir, List<VariantResult> results, int steps) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (VariantResult r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("variant", r.variant().name());
      row.put("description", r.variant().description());
      row.put("seeds_solved", r.converged());
      row.put("median_steps_to_solve", r.medianSteps());
      row.put("mean_final_loss", r.meanFinalLoss());
      row.put("seed_report", r.variant().seedReport());
      row.put("runs", r.runs());
      row.put("seed_code_replay", r.seedCode());
      row.put("true_gradient_replay", r.trueGradient());
      rows.add(row);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("steps", steps);
    root.put("variants", rows);
    AtomicFiles.write(dir.resolve("results.json"), json.writeValueAsBytes(root));
    AtomicFiles.writeString(dir.resolve("results.md"), table(results, steps));
    ExperimentPlot.meanCurves(dir.resolve("loss.png"), "binary addition: held-out loss (mean over seeds)", "step",
        "held-out loss (½ Σ (y − d)² per sum)", results);
  }
}
