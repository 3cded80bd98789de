package dev.rnnx.cli;

import dev.rnnx.experiment.BinaryAdditionExperiment;
import dev.rnnx.experiment.Seq2SeqExperiment;
import dev.rnnx.experiment.TanakaExperiment;
import dev.rnnx.experiment.TanakaOptions;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rnnx experiment NAME}: reproduces one of the experiments of the seed projects (the NumPy
 * prototypes rnnx grew from).
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    header = "Reproduce an experiment: binary-addition, seq2seq or tanaka.",
    description = {
      "binary-addition: the 8-bit binary addition RNN of the NumPy prototypes rnnx grew from (the seed projects),"
          + " trained over their grid of activations, initial weights, learning rates and widths, each variant with"
          + " several random seeds (--seeds), beside a Java replay of the prototypes' own NumPy code. About 100 s.",
      "seq2seq: the three date-translation recipes (models/dates-rnn.yaml, models/dates-attention.yaml,"
          + " models/dates-transformer.yaml: an RNN without attention, an RNN with attention and a Transformer),"
          + " trained on the same examples and scored by BLEU-4 and by exact match for each source length."
          + " About 75 s.",
      "Both write results.json, results.md and a plot (loss.png or curves.png) to the output folder.",
      "tanaka: the seed projects' RNN-versus-Transformer translation on their own corpus (models/tanaka/rnn.yaml,"
          + " attention.yaml, transformer.yaml, English to Japanese): each model 10 epochs, dev BLEU-4 and validation loss after every epoch, test BLEU-4 and hypotheses.txt"
          + " at the end; comparison.md, curves.png and results.json in the output folder. Resumable: a re-run continues"
          + " from the last finished epoch. About 80 minutes on 2 idle cores (docs/EXPERIMENTS.md)."})
final class ExperimentCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "Experiment: binary-addition, seq2seq or tanaka.")
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

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "0", description = "seq2seq, tanaka: epochs for every model (default: each recipe's own).")
  int epochs;

  @Option(names = "--test-samples", paramLabel = "N", defaultValue = "2000", description = "seq2seq: dates in the test set (default: ${DEFAULT-VALUE}).")
  int testSamples;

  @Option(names = "--models", paramLabel = "LIST", split = ",", description = "tanaka: which models, in order"
      + " (default: rnn,attention,transformer).")
  List<String> models;

  @Option(names = "--limit-pairs", paramLabel = "N", defaultValue = "0", description = "tanaka: only the first N training pairs"
      + " (default: all).")
  int limitPairs;

  @Option(names = "--stop-after", paramLabel = "N", defaultValue = "0", description = "tanaka: stop after training N epochs in"
      + " this call, as if interrupted (default: never).")
  int stopAfter;

  @Option(names = "--dev-sentences", paramLabel = "N", defaultValue = "0", description = "tanaka: dev BLEU on the first N dev"
      + " pairs (default: all).")
  int devSentences;

  @Option(names = "--recipes", paramLabel = "DIR", defaultValue = "models/tanaka", description = "tanaka: the folder of"
      + " rnn.yaml, attention.yaml and transformer.yaml (default: ${DEFAULT-VALUE}).")
  Path recipes;

  @Option(names = "--test-source", paramLabel = "FILE", defaultValue = "models/data/tanaka-enja/test.en.gz",
      description = "tanaka: test sources (default: ${DEFAULT-VALUE}).")
  Path testSource;

  @Option(names = "--test-target", paramLabel = "FILE", defaultValue = "models/data/tanaka-enja/test.ja.gz",
      description = "tanaka: test references (default: ${DEFAULT-VALUE}).")
  Path testTarget;

  @Spec
  CommandSpec spec;

  private Integer tanaka(Path dir) throws Exception {
    long start = System.nanoTime();
    Map<String, Recipe> chosen = new LinkedHashMap<>();
    for (String m : models == null ? TanakaExperiment.MODELS : models) {
      if (!TanakaExperiment.MODELS.contains(m) || chosen.containsKey(m)) {
        throw new IllegalArgumentException("--models: '" + m + "' is unknown or repeated, expected some of "
            + TanakaExperiment.MODELS + " once each");
      }
      chosen.put(m, RecipeCodec.read(recipes.resolve(m + ".yaml")));
    }
    int n = epochs > 0 ? epochs : chosen.values().iterator().next().training().epochs();
    TanakaOptions options = TanakaOptions.builder().out(dir).epochs(n).limitPairs(limitPairs).stopAfterEpochs(stopAfter)
        .devSentences(devSentences).test(testSource, testTarget).log(System.out).build();
    TanakaExperiment.Outcome outcome = TanakaExperiment.run(chosen, options);
    String table = TanakaExperiment.report(outcome, options, (System.nanoTime() - start) / 1e9);
    var outWriter = spec.commandLine().getOut();
    outWriter.print(table);
    outWriter.printf(Locale.ROOT, "wrote %s (comparison.md, curves.png, results.json, one folder per model) in %.0f s%s%n", dir,
        (System.nanoTime() - start) / 1e9, outcome.complete() ? "" : "; NOT FINISHED: run the same command again to continue");
    outWriter.flush();
    return ExitCodes.OK;
  }

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
    if (name.equals("tanaka")) {
      return tanaka(dir);
    }
    if (!name.equals("binary-addition")) {
      throw new IllegalArgumentException("unknown experiment '" + name + "', expected one of [binary-addition, seq2seq, tanaka]");
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
