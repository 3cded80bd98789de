package dev.rnnx.cli;

import dev.rnnx.djl.Generation;
import dev.rnnx.djl.SearchOptions;
import dev.rnnx.djl.Seq2SeqGenerator;
import dev.rnnx.djl.SimilarWords;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnx predict RUN_DIR --text "..."} or {@code --most-similar WORD}: inference through DJL. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Run a trained model through DJL: generate text with a seq2seq run (greedy or beam search), or list the"
        + " nearest words of a word2vec run. ONNX runs on OnnxRuntime without loading TensorFlow.")
final class PredictCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Output folder of 'rnnx run'.")
  Path runDir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--text", paramLabel = "TEXT", description = "Input text for a seq2seq run.")
    String text;

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

  @Option(names = "--engine", defaultValue = "OnnxRuntime",
      description = "OnnxRuntime (the ONNX forms) or TensorFlow (the SavedModels) (default: ${DEFAULT-VALUE}).")
  String engine;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (mode.text != null) {
      try (Seq2SeqGenerator generator = Seq2SeqGenerator.load(runDir, engine)) {
        SearchOptions options = new SearchOptions(beam, lengthPenalty, maxLength,
            endToken == null ? dev.rnnx.spec.SpecialTokens.EOS : generator.targetToken(endToken));
        Generation g = generator.generate(mode.text, options);
        out.println(g.text());
        if (g.unknownTokens() > 0) {
          out.printf(Locale.ROOT, "(%d input token(s) outside the vocabulary were read as <unk>)%n", g.unknownTokens());
        }
        if (beam > 1) {
          out.printf(Locale.ROOT, "score %.4f; %d finished hypotheses: %s%n", g.score(), g.alternatives().size(), g.alternatives());
        }
      }
    } else {
      try (SimilarWords words = SimilarWords.load(runDir, engine)) {
        for (SimilarWords.Neighbour n : words.mostSimilar(mode.word, k)) {
          out.printf(Locale.ROOT, "%-16s %.4f%n", n.word(), n.score());
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
