package dev.rnnx.cli;

import dev.rnnx.decode.SearchOptions;
import dev.rnnx.data.DataException;
import dev.rnnx.data.TextLines;
import dev.rnnx.djl.Generation;
import dev.rnnx.djl.IsolatedOnnxModel;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.Seq2SeqGenerator;
import dev.rnnx.djl.SimilarWords;
import dev.rnnx.djl.Task;
import dev.rnnx.djl.TextPrediction;
import dev.rnnx.spec.Budget;
import dev.rnnx.spec.SourcedInputs;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.InputFiles;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnnx predict MODEL --input FILE [--output FILE]}: any model on named tensors; {@code rnnx
 * predict RUN_DIR --text "..."}, {@code --text-file FILE [--batch-size N]} or {@code --most-similar
 * WORD}: a seq2seq or word2vec run. Inference
 * through DJL ({@link RnnxModel}); inputs are checked against the model before any native call,
 * and a request that does not fit exits with {@link ExitCodes#BAD_INPUT}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    header = "Run a trained model on a file of inputs, a text or a word.",
    description = "Run a trained model through DJL: outputs for the inputs of a file (--input), generated text for a"
        + " seq2seq run (--text, or --text-file one per line in batches; greedy or beam search), or the nearest words of a word2vec run (--most-similar)."
        + " ONNX runs on OnnxRuntime without loading TensorFlow.")
final class PredictCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "A .onnx file, a SavedModel folder, or the output folder of 'rnnx run'.")
  Path runDir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--input", paramLabel = "FILE",
        description = "Inputs: a .json file (input name to nested array or {shape, data, dtype}), a .npy file or a .pb"
            + " TensorProto (one tensor; named after the file or its stored name, or the model's only input).")
    Path input;

    @Option(names = "--text", paramLabel = "TEXT",
        description = "Input text for a seq2seq run, or a text classifier or tagger (labeled-text, tagged-text).")
    String text;

    @Option(names = "--text-file", paramLabel = "FILE", description = "A UTF-8 file of input texts for a seq2seq run,"
        + " one per line, decoded in batches: one output line per input line, in order (an empty line gives an empty line).")
    Path textFile;

    @Option(names = "--most-similar", paramLabel = "WORD", description = "A word of a word2vec run's vocabulary.")
    String word;
  }

  @Option(names = "--k", defaultValue = "5", description = "Neighbours to list with --most-similar (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--beam", defaultValue = "1", description = "Beam width; 1 is greedy decoding (default: ${DEFAULT-VALUE}).")
  int beam;

  @Option(names = "--length-penalty", defaultValue = "0", description = "GNMT length penalty alpha (default: ${DEFAULT-VALUE}).")
  double lengthPenalty;

  @Option(names = "--max-length", defaultValue = "0", description = "Longest output in tokens; 0: the model's limit.")
  int maxLength;

  @Option(names = "--end-token", paramLabel = "TOKEN",
      description = "The target token that ends a hypothesis (default: the end-of-sequence token <eos>).")
  String endToken;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
      description = "With --text-file: sentences decoded together, one decoder call per step for all (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--no-kv-cache", description = "Decode a Transformer run with its decoder_step form (the whole prefix"
      + " at each step) instead of its key-value cache forms.")
  boolean noCache;

  @Option(names = "--output", paramLabel = "FILE",
      description = "With --input: write the outputs to FILE as JSON (written beside it, then moved into place)"
          + " instead of printing them.")
  Path output;

  @Option(names = "--engine",
      description = "OnnxRuntime or TensorFlow; default: the artifact's own (a run folder: OnnxRuntime).")
  String engine;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Score the rows of --input (a .parquet or .jsonl file) on Spark at MASTER (local[2], spark://...)"
          + " into --output, a Parquet folder (docs: SPARK.md).")
  String spark;

  @Option(names = "--isolate", negatable = true, description = "Run ONNX Runtime in a child process, so that a model"
      + " that crashes it cannot take rnnx down (default: on for a .onnx file, off for a run folder); see docs/RELIABILITY.md.")
  Boolean isolate;

  @Option(names = "--stream", description = "With --input on a run folder: feed each row's sequence through a streaming"
      + " session in chunks of --chunk steps, carrying the recurrent state, and print each chunk's output as a JSON"
      + " line (docs: STREAMING.md).")
  boolean stream;

  @Option(names = "--chunk", defaultValue = "1", paramLabel = "N",
      description = "Steps per chunk with --stream (default: ${DEFAULT-VALUE}).")
  int chunk;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (spark != null) {
      if (mode.input == null) {
        throw new IllegalArgumentException("--spark goes with --input F.parquet|F.jsonl and --output OUT.parquet");
      }
      return SparkBridge.predict(runDir, spark, mode.input, output, out);
    }
    if (output != null && mode.input == null) {
      throw new IllegalArgumentException("--output goes with --input");
    }
    if (stream) {
      if (mode.input == null || output != null) {
        throw new IllegalArgumentException("--stream goes with --input FILE (and prints one JSON line per chunk; no --output)");
      }
      StreamPrinter.print(runDir, engine, InputFiles.readFile(mode.input), chunk, out);
      out.flush();
      return ExitCodes.OK;
    }
    if (mode.input != null) {
      predictTensors(out);
    } else if (mode.text != null) {
      generate(out);
    } else if (mode.textFile != null) {
      generateFile(out);
    } else {
      mostSimilar(out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * {@code --text}: greedy or beam search through the served model's {@link RnnxModel#generator()};
   * or, for a text classifier or tagger, the text split and encoded as its training text was
   * ({@link RnnxModel#textInput}): the labels by probability, or one {@code token/TAG} per token.
   */
  private void generate(PrintWriter out) {
    SearchOptions options = new SearchOptions(beam, lengthPenalty, maxLength); // refuses bad settings before loading
    try (RnnxModel model = served("a seq2seq run or a text classifier or tagger", Task.GENERATION, Task.CLASSIFICATION,
        Task.TAGGING)) {
      if (model.task() != Task.GENERATION) {
        classify(model, out);
        return;
      }
      Seq2SeqGenerator generator = generator(model);
      if (endToken != null) {
        options = options.withEndToken(generator.targetToken(endToken));
      }
      Generation g = generator.generate(mode.text, options);
      out.println(g.text());
      note(unknownNote(g.unknownTokens(), g.inputTokens()));
      note(unseenNote(generator.unseenWords(mode.text), generator.words(mode.text).size()));
      if (beam > 1) {
        out.printf(Locale.ROOT, "score %.4f; %d finished hypotheses: %s%n", g.score(), g.alternatives().size(), g.alternatives());
      }
    }
  }

  /** {@code --text} on a text classifier (every label and its probability, the likeliest first) or tagger. */
  private void classify(RnnxModel model, PrintWriter out) {
    TextPrediction in = model.predictText(mode.text);
    if (model.task() == Task.CLASSIFICATION) {
      in.labels().forEach((label, p) -> out.printf(Locale.ROOT, "%-16s %.4f%n", label, p));
    } else {
      List<String> tags = in.tags();
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < tags.size(); i++) {
        line.append(i == 0 ? "" : " ").append(in.tokens().get(i)).append('/').append(tags.get(i));
      }
      out.println(line);
    }
    note(unknownNote(in.unknown(), in.tokens().size()));
  }

  /**
   * {@code --text-file}: every line through {@link Seq2SeqGenerator#generateAll}, {@code --batch-size}
   * lines per batch; a blank line is not decoded and gives a blank line. Every line is checked
   * before any is decoded, so a bad one prints nothing.
   */
  private void generateFile(PrintWriter out) {
    SearchOptions options = new SearchOptions(beam, lengthPenalty, maxLength);
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size is " + batchSize + ", expected at least 1");
    }
    Path file = mode.textFile;
    try {
      Budget.TENSOR_FILE_BYTES.check("text file " + file, java.nio.file.Files.size(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    List<String> lines = TextLines.read(file);
    try (RnnxModel model = served(Task.GENERATION, "a seq2seq run")) {
      Seq2SeqGenerator generator = generator(model);
      if (endToken != null) {
        options = options.withEndToken(generator.targetToken(endToken));
      }
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          try {
            generator.check(lines.get(i));
          } catch (IllegalArgumentException e) {
            throw DataException.at(file.toString(), i + 1, e.getMessage());
          }
          texts.add(lines.get(i));
        }
      }
      Iterator<Generation> generated = generator.generateAll(texts, options, batchSize).iterator();
      for (String line : lines) {
        out.println(line.isBlank() ? "" : generated.next().text());
      }
    }
  }

  private Seq2SeqGenerator generator(RnnxModel model) {
    return noCache ? model.generator().withoutCache() : model.generator();
  }

  /** {@code --most-similar}: the served model's {@link RnnxModel#similarWords()}. */
  private void mostSimilar(PrintWriter out) {
    try (RnnxModel model = served(Task.EMBEDDING, "a word2vec run")) {
      SimilarWords words = model.similarWords();
      List<SimilarWords.Neighbour> neighbours = words.mostSimilar(mode.word, k);
      if (!words.normalise(mode.word).equals(mode.word)) {
        note("rnnx: read '" + mode.word + "' as '" + words.normalise(mode.word) + "' (the vocabulary is lower case)");
      }
      for (SimilarWords.Neighbour n : neighbours) {
        out.printf(Locale.ROOT, "%-16s %.4f%n", n.word(), n.score());
      }
    }
  }

  /**
   * The note on stderr about unknown input tokens, or {@code null} when every token is known: a
   * warning when most of the input was unknown (the output then says little about it).
   */
  static String unknownNote(int unknown, int tokens) {
    if (unknown == 0) {
      return null;
    }
    if (2 * unknown > tokens) {
      return String.format(Locale.ROOT, "rnnx: warning: %d of the %d input tokens are outside the vocabulary (read as"
          + " <unk>); the output says little about this input", unknown, tokens);
    }
    return String.format(Locale.ROOT, "rnnx: %d of the %d input tokens are outside the vocabulary (read as <unk>)",
        unknown, tokens);
  }

  /**
   * The warning on stderr when most input words never occur in a character-level model's training
   * sources (each character is known, so {@link #unknownNote} cannot tell), or {@code null}.
   */
  static String unseenNote(List<String> unseen, int words) {
    if (unseen.isEmpty() || 2 * unseen.size() <= words) {
      return null;
    }
    return String.format(Locale.ROOT, "rnnx: warning: %d of the %d input words never occur in the training sources (%s);"
        + " the output says little about this input", unseen.size(), words,
        String.join(", ", unseen.subList(0, Math.min(5, unseen.size()))));
  }

  /** A line on stderr, so that stdout holds only the result. */
  private void note(String line) {
    if (line != null) {
      spec.commandLine().getErr().println(line);
      spec.commandLine().getErr().flush();
    }
  }

  /**
   * The model at {@code MODEL} for one request (one predictor per form, no warm-up), refused with
   * an {@link IllegalArgumentException} unless it does {@code task}.
   */
  private RnnxModel served(Task task, String expected) {
    return served(expected, task);
  }

  /** The model at {@code MODEL}, refused unless it does one of {@code tasks}. */
  private RnnxModel served(String expected, Task... tasks) {
    RnnxModel.Builder builder = RnnxModel.builder(runDir).optPoolSize(1).optWarmUp(false);
    if (engine != null) {
      builder.optEngine(engine);
    }
    RnnxModel model = builder.build();
    if (!List.of(tasks).contains(model.task())) {
      String holds = model.recipe() == null ? "is a bare artifact without a recipe"
          : "holds a " + model.recipe().model().kind() + " model";
      model.close();
      throw new IllegalArgumentException(runDir + " " + holds + ", expected " + expected);
    }
    return model;
  }

  private void predictTensors(PrintWriter out) {
    Map<String, Tensor> inputs = InputFiles.readFile(mode.input);
    RnnxModel.Builder builder = RnnxModel.builder(runDir).optPoolSize(1).optWarmUp(false);
    if (engine != null) {
      builder.optEngine(engine);
    }
    if (isolate != null ? isolate : java.nio.file.Files.isRegularFile(runDir)) {
      try (IsolatedOnnxModel model = builder.buildIsolated()) {
        write(out, InputFiles.toJson(model.predict(named(inputs, model.inputNames()))));
      }
      return;
    }
    try (RnnxModel model = builder.build()) {
      write(out, InputFiles.toJson(model.tensors().predict(named(inputs, model.inputNames(model.forms().get(0))))));
    }
  }

  private Map<String, Tensor> named(Map<String, Tensor> inputs, List<String> names) {
    boolean jsonFile = mode.input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    if (!jsonFile && names.size() == 1 && inputs.size() == 1 && !names.contains(inputs.keySet().iterator().next())) {
      // one .npy or .pb tensor for a model of one input: the file's name is not the input's
      // (a JSON key names its input, and one that names none is refused by the input check)
      return SourcedInputs.like(inputs, Map.of(names.get(0), inputs.values().iterator().next()));
    }
    return inputs;
  }

  private void write(PrintWriter out, String json) {
    if (output == null) {
      out.println(json);
    } else {
      try {
        AtomicFiles.writeString(output, json + System.lineSeparator());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + output, e);
      }
      out.println("wrote " + output);
    }
  }
}
