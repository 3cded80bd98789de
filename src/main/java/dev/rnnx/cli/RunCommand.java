package dev.rnnx.cli;

import dev.rnnx.pipeline.InitSource;
import dev.rnnx.pipeline.RunArtifacts;
import dev.rnnx.pipeline.RunPipeline;
import dev.rnnx.pipeline.RunReport;
import dev.rnnx.pipeline.TrainingStopped;
import dev.rnnx.spec.ExportSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeBudget;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.weights.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code rnnx run [RECIPE] [--out DIR]}: train, export, verify and report one recipe. */
@Command(name = "run", mixinStandardHelpOptions = true,
    header = "Train a recipe, export it, verify parity and write the report.",
    description = "Train a recipe with TensorFlow Java, export every form of the model to a SavedModel and ONNX, verify"
        + " parity of every form across djl-ort, djl-tf, tf-java and ref, check what the model is for (generation,"
        + " similarity), and write the report.")
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "RECIPE", defaultValue = "models/sine-lstm.yaml",
      description = "Recipe YAML (default: ${DEFAULT-VALUE}).")
  Path recipeFile;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: build/runs/<recipe name>).")
  Path out;

  @Option(names = "--opset", paramLabel = "N",
      description = "ONNX opset to export at (default: export.opset of the recipe, 17 when it names none; 23 uses ONNX's Attention op).")
  Integer opset;

  @Option(names = "--checkpoint-every", paramLabel = "EPOCHS",
      description = "Write a training checkpoint to DIR/checkpoints every EPOCHS epochs (and after the last).")
  Integer checkpointEvery;

  @Option(names = "--resume", description = "Continue training from the checkpoint in DIR/checkpoints; the result is"
      + " bit for bit that of an uninterrupted run. Without a checkpoint (a run killed before its first one) training"
      + " starts from epoch 1, and says so.")
  boolean resume;

  @Option(names = "--wide", description = "Parity tables with every column (mean error, ulps, cosine, the tolerances"
      + " that would pass, argmax agreement); by default they fit 100 columns.")
  boolean wide;

  @Option(names = "--init-from", paramLabel = "DIR", description = "Start training from the weights of a run folder (one"
      + " written by 'rnnx import' or 'rnnx run') instead of the recipe's initializers: fine-tuning. They must fit the"
      + " recipe's model (same layers, names and shapes).")
  Path initFrom;

  @Option(names = "--stop-after-epochs", paramLabel = "N", hidden = true,
      description = "Stop training after N epochs, as if interrupted (to try --resume).")
  int stopAfterEpochs;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Recipe recipe = RecipeCodec.read(recipeFile);
    RecipeBudget.check(recipe, recipeFile.toString());
    if (opset != null) {
      recipe = new Recipe(recipe.name(), recipe.description(), recipe.seed(), recipe.model(), recipe.data(), recipe.training(),
          new ExportSpec(opset, recipe.export().maxSequenceLength()), recipe.tolerances());
    }
    InitSource init = initFrom == null ? null : InitSource.read(initFrom);
    Weights initial = init == null ? null : initialWeights(init, initFrom, recipe);
    Path dir = out != null ? out : Path.of("build", "runs", recipe.name());
    System.out.printf(Locale.ROOT, "rnnx run %s -> %s%n", recipe.name(), dir);
    Path checkpoints = dir.resolve("checkpoints");
    boolean fromCheckpoint = resume && Files.isRegularFile(checkpoints.resolve("checkpoint.json"));
    if (resume && !fromCheckpoint) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("rnnx: --resume: no checkpoint in " + checkpoints + " (the run stopped before its first one);"
          + " starting from epoch 1");
      err.flush();
    }
    boolean passed;
    double total;
    try (ProgressListener progress = ProgressListener.forStandardOutput(recipe.training().epochs())) {
      TrainingOptions.Builder options = TrainingOptions.builder().listener(progress).stopAfterEpochs(stopAfterEpochs)
          .initialWeights(initial).initialSource(init == null ? null : init.source());
      if (checkpointEvery != null || resume || stopAfterEpochs > 0) {
        options.checkpointDir(checkpoints).checkpointEvery(checkpointEvery != null ? checkpointEvery : 1);
      }
      if (fromCheckpoint) {
        options.resume(checkpoints);
      }
      RunReport report = RunPipeline.run(recipe, dir, options.build(), System.out, wide);
      passed = report.passed();
      total = report.timings().get("total");
    } catch (TrainingStopped stopped) {
      System.out.println("rnnx: " + stopped.getMessage() + " with: rnnx run " + recipeFile + " --out " + dir + " --resume");
      return ExitCodes.OK;
    }
    System.out.printf(Locale.ROOT, "report: %s (%.1f s in all)%n", new RunArtifacts(dir).report(), total);
    return passed ? ExitCodes.OK : ExitCodes.MISMATCH;
  }

  /** The weights of a run folder, refused unless they fit the recipe's model. */
  static Weights initialWeights(InitSource init, Path dir, Recipe recipe) {
    Weights w = init.weights();
    try {
      return w.checkFits(recipe.model());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--init-from " + dir + ": its weights do not fit recipe '" + recipe.name() + "': "
          + e.getMessage());
    }
  }
}
