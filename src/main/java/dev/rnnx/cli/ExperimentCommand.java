package dev.rnnx.cli;

import dev.rnnx.experiment.BinaryAdditionExperiment;
import dev.rnnx.experiment.Seq2SeqExperiment;
import dev.rnnx.experiment.VariantResult;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rnnx experiment NAME}: reproduces one of the experiments of the seed projects (the NumPy
 * prototypes rnnx grew from).
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    header = "Reproduce an experiment: binary-addition or seq2seq.",
    description = {
      "binary-addition: the 8-bit binary addition RNN of the NumPy prototypes rnnx grew from (the seed projects),"
          + " trained over their grid of activations, initial weights, learning rates and widths, each variant with"
          + " several random seeds (--seeds), beside a Java replay of the prototypes' own NumPy code. About 100 s.",
      "seq2seq: the three date-translation recipes (models/dates-rnn.yaml, models/dates-attention.yaml,"
          + " models/dates-transformer.yaml: an RNN without attention, an RNN with attention and a Transformer),"
          + " trained on the same examples and scored by BLEU-4 and by exact match for each source length."
          + " About 75 s.",
      "Both write results.json, results.md and a plot (loss.png or curves.png) to the output folder."})
final class ExperimentCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "Experiment: binary-addition or seq2seq.")
  String name;

  @Option(names = "--recipe", paramLabel = "FILE", defaultValue = "models/binary-addition.yaml",
      description = "binary-addition: the base recipe (default: ${DEFAULT-VALUE}).")
  Path recipeFile;

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "5", description = "binary-addition: random seeds per variant (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "10000", description = "binary-addition: SGD steps per run (default: ${DEFAULT-VALUE},"
      + " as in the prototypes).")
  int steps;

  @Option(names = "--threads", paramLabel = "N", description = "binary-addition: runs at a time (default: the number of processors).")
  Integer threads;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: build/experiments/NAME).")
  Path out;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "0", description = "seq2seq: epochs for every model (default: each recipe's own).")
  int epochs;

  @Option(names = "--test-samples", paramLabel = "N", defaultValue = "2000", description = "seq2seq: dates in the test set (default: ${DEFAULT-VALUE}).")
  int testSamples;

  @Spec
  CommandSpec spec;

  private Integer seq2seq(Path dir) throws Exception {
    long start = System.nanoTime();
    List<Recipe> recipes = List.of(RecipeCodec.read(Path.of("models/dates-rnn.yaml")),
        RecipeCodec.read(Path.of("models/dates-attention.yaml")), RecipeCodec.read(Path.of("models/dates-transformer.yaml")));
    List<Seq2SeqExperiment.Result> results = Seq2SeqExperiment.run(recipes, epochs, testSamples, 4242, System.out);
    Files.createDirectories(dir);
    Seq2SeqExperiment.write(dir, results, testSamples);
    var outWriter = spec.commandLine().getOut();
    outWriter.print(Seq2SeqExperiment.table(results, testSamples));
    outWriter.printf(Locale.ROOT, "wrote %s (results.json, results.md, curves.png) in %.0f s%n", dir, (System.nanoTime() - start) / 1e9);
    outWriter.flush();
    return ExitCodes.OK;
  }

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? out : Path.of("build", "experiments", name);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("output folder " + dir + " is an existing file, expected a folder or a new path");
    }
    if (name.equals("seq2seq")) {
      return seq2seq(dir);
    }
    if (!name.equals("binary-addition")) {
      throw new IllegalArgumentException("unknown experiment '" + name + "', expected one of [binary-addition, seq2seq]");
    }
    Recipe base = RecipeCodec.read(recipeFile);
    int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    long start = System.nanoTime();
    List<VariantResult> results = BinaryAdditionExperiment.run(base, BinaryAdditionExperiment.grid(), seeds, steps, t, System.out);
    Files.createDirectories(dir);
    BinaryAdditionExperiment.write(dir, results, steps);
    var outWriter = spec.commandLine().getOut();
    outWriter.print(BinaryAdditionExperiment.table(results, steps));
    outWriter.printf(Locale.ROOT, "wrote %s (results.json, results.md, loss.png) in %.0f s%n", dir, (System.nanoTime() - start) / 1e9);
    outWriter.flush();
    return ExitCodes.OK;
  }
}
