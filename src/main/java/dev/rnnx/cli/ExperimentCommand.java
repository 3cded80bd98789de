package dev.rnnx.cli;

import dev.rnnx.experiment.BinaryAdditionExperiment;
import dev.rnnx.experiment.VariantResult;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnx experiment NAME}: reproduces one of the seeds' experiments. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "Run one of the seeds' experiments. binary-addition: the seeds' grid of activations, initial weights,"
        + " learning rates and widths over several seeds; writes results.json, results.md and loss.png.")
final class ExperimentCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "Experiment: binary-addition.")
  String name;

  @Option(names = "--recipe", paramLabel = "FILE", defaultValue = "models/binary-addition.yaml",
      description = "Base recipe (default: ${DEFAULT-VALUE}).")
  Path recipeFile;

  @Option(names = "--seeds", defaultValue = "5", description = "Seeds per variant (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--steps", defaultValue = "10000", description = "SGD steps per run (default: ${DEFAULT-VALUE}, as in the seeds).")
  int steps;

  @Option(names = "--threads", description = "Runs at a time (default: the number of processors).")
  Integer threads;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: build/experiments/NAME).")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!name.equals("binary-addition")) {
      throw new IllegalArgumentException("unknown experiment '" + name + "', expected one of [binary-addition]");
    }
    Recipe base = RecipeCodec.read(recipeFile);
    Path dir = out != null ? out : Path.of("build", "experiments", name);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("output folder " + dir + " is an existing file, expected a folder or a new path");
    }
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
