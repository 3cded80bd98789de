package dev.rnnx.fuzz;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.InputFiles;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A fuzz campaign over every surface, fixed seed: ONNX models mutated from rnnx's golden exports
 * ({@code models/golden/*}) through {@code predict --no-isolate} (one in {@code verifyEvery} through
 * {@code verify --onnx}, and one through the isolated {@code predict}); input files through {@code predict --input}; recipes from
 * {@code models/*.yaml} through {@code summary}; run folders of a tiny trained run through
 * {@code predict} and {@code verify}. Every mutant runs in {@link FuzzHarness}'s child JVM.
 *
 * @param onnx ONNX mutants
 * @param inputs input-file mutants
 * @param recipes recipe mutants
 * @param runFolders run-folder mutants
 * @param verifyEvery one ONNX and run-folder mutant in this many also goes through {@code verify} (0: none)
 */
record FuzzCampaign(int onnx, int inputs, int recipes, int runFolders, int verifyEvery) {

  static final String TINY_RECIPE = """
      name: tiny
      seed: 1
      model:
        input: {features: 1}
        layers:
          - {type: lstm, units: 3}
          - {type: dense, units: 1}
      data: {task: sine, window: 3, samples: 40}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  /** Runs the campaign in {@code work} with {@code seed}; {@code progress} sees each result. */
  FuzzTally run(Path work, long seed, long timeoutSeconds, Consumer<String> progress) throws IOException {
    Files.createDirectories(work);
    FuzzTally tally = new FuzzTally();
    int id = 0;
    try (FuzzHarness h = new FuzzHarness(work.resolve("jvm"), timeoutSeconds, "768m")) {
      List<Seed> seeds = seeds(work.resolve("seeds"));
      OnnxMutator om = new OnnxMutator(seed);
      for (int i = 0; i < onnx; i++, id++) {
        Seed s = seeds.get(i % seeds.size());
        OnnxMutator.Mutant m = om.mutate(s.model());
        Path file = work.resolve("m" + id + ".onnx");
        Files.write(file, m.model().toByteArray());
        Path out = work.resolve("out" + id + ".json");
        boolean isolated = verifyEvery > 0 && i % verifyEvery == verifyEvery / 2;
        FuzzCase c = verifyEvery > 0 && i % verifyEvery == verifyEvery - 1
            ? FuzzCase.of("onnx (verify --onnx)", id, s.name() + ": " + m.mutation(), "verify", "--onnx", file.toString(),
                "--backends", "ort", "--no-localise", "--report", work.resolve("report" + id).toString())
            : new FuzzCase(isolated ? "onnx (predict, isolated)" : "onnx (predict --no-isolate)", id, s.name() + ": "
                + m.mutation(), List.of("predict", file.toString(), "--input", s.inputs().toString(), "--output", out.toString(),
                isolated ? "--isolate" : "--no-isolate"), file, s.inputs(), out);
        record(h, tally, c, progress);
        deleteAll(file, out, work.resolve("report" + id));
      }
      Seed sine = seeds.stream().filter(s -> s.name().equals("sine-lstm")).findFirst().orElse(seeds.get(0));
      String inputName = InputFiles.readFile(sine.inputs()).keySet().iterator().next();
      InputFileMutator im = new InputFileMutator(seed + 1);
      for (int i = 0; i < inputs; i++, id++) {
        InputFileMutator.Mutant m = im.next(inputName);
        Path file = work.resolve(inputName + "." + m.extension());
        Files.write(file, m.bytes());
        record(h, tally, FuzzCase.of("input files (predict --input)", id, m.mutation(), "predict", sine.file().toString(),
            "--input", file.toString(), "--no-isolate"), progress);
        deleteAll(file);
      }
      RecipeMutator rm = new RecipeMutator(seed + 2);
      List<Path> recipes;
      try (Stream<Path> s = Files.list(Path.of("models"))) {
        recipes = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      }
      for (int i = 0; i < this.recipes; i++, id++) {
        Path base = recipes.get(i % recipes.size());
        RecipeMutator.Mutant m = rm.mutate(Files.readString(base));
        Path file = work.resolve("r" + id + ".yaml");
        Files.writeString(file, m.text());
        record(h, tally, FuzzCase.of("recipes (summary)", id, base.getFileName() + ": " + m.mutation(), "summary",
            file.toString()), progress);
        deleteAll(file);
      }
      if (runFolders > 0) {
        Path baseRun = work.resolve("base-run");
        Path recipe = work.resolve("tiny.yaml");
        Files.writeString(recipe, TINY_RECIPE);
        FuzzHarness.Answer trained = h.run(FuzzCase.of("setup", id++, "train the base run", "run", recipe.toString(),
            "--out", baseRun.toString()));
        if (trained.outcome() != Outcome.OK) {
          throw new IllegalStateException("the base run folder could not be trained: " + trained);
        }
        Path in = work.resolve("run-input.json");
        Files.writeString(in, "{\"input\": [[[0.1], [0.2], [0.3]]]}");
        RunFolderMutator fm = new RunFolderMutator(seed + 3);
        for (int i = 0; i < runFolders; i++, id++) {
          Path dir = work.resolve("run" + id);
          String what = fm.mutate(baseRun, dir);
          FuzzCase c = verifyEvery > 0 && i % verifyEvery == verifyEvery - 1
              ? FuzzCase.of("run folders (verify)", id, what, "verify", dir.toString(), "--backends", "ort", "--no-localise",
                  "--report", work.resolve("report" + id).toString())
              : FuzzCase.of("run folders (predict)", id, what, "predict", dir.toString(), "--input", in.toString());
          record(h, tally, c, progress);
          deleteAll(dir, work.resolve("report" + id));
        }
      }
      progress.accept("child JVMs started: " + h.starts());
    }
    return tally;
  }

  private static void record(FuzzHarness h, FuzzTally tally, FuzzCase c, Consumer<String> progress) {
    FuzzHarness.Answer a = h.run(c);
    tally.add(c, a);
    if (a.outcome().failure()) {
      progress.accept(c.surface() + " #" + c.id() + " [" + c.mutation() + "]: " + a);
      String keep = System.getProperty("rnnx.fuzz.keep");
      if (keep != null) {
        keepFiles(c, Path.of(keep));
      }
    }
  }

  /** Copies a failing mutant's files into {@code keep} ({@code -Drnnx.fuzz.keep=DIR}), to replay it. */
  private static void keepFiles(FuzzCase c, Path keep) {
    try {
      Path dir = keep.resolve(c.id() + "");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("case.txt"), c.mutation() + "\n" + String.join(" ", c.args()) + "\n");
      for (String a : c.args()) {
        Path p = Path.of(a);
        if (a.startsWith("/") && Files.isRegularFile(p)) {
          Files.copy(p, dir.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  /** A seed model with its first golden input set as a JSON file. */
  record Seed(String name, Path file, OnnxMl.ModelProto model, Path inputs) {}

  private static List<Seed> seeds(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Seed> out = new ArrayList<>();
    List<Path> models;
    try (Stream<Path> s = Files.list(Path.of("models/golden"))) {
      models = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx")) && Files.isDirectory(p.resolve("test_data_set_0")))
          .sorted().toList();
    }
    for (Path m : models) {
      Map<String, Tensor> in = TypedTensor.toTensors(TestDataSet.readAll(m.resolve("test_data_set_0"), "input_"));
      Path json = dir.resolve(m.getFileName() + ".json");
      Files.writeString(json, InputFiles.toJson(in));
      Path file = m.resolve("model.onnx").toAbsolutePath();
      out.add(new Seed(m.getFileName().toString(), file, OnnxModels.read(file), json.toAbsolutePath()));
    }
    return out;
  }

  private static void deleteAll(Path... paths) {
    for (Path p : paths) {
      if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(p)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // temporary files only
      }
    }
  }
}
