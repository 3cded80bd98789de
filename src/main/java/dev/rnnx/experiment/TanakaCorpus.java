package dev.rnnx.experiment;

import dev.rnnx.data.DataException;
import dev.rnnx.data.ParallelText;
import dev.rnnx.data.TextLines;
import dev.rnnx.data.TextTokenizer;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Tanaka experiment's data: a recipe's {@code parallel-text} training and validation pairs
 * ({@link ParallelText}, optionally the first {@code limitPairs} training pairs only), and the
 * test sentences encoded with the training vocabulary. Every test line is kept, in order (a source
 * longer than the model's limit is cut to it), so that there is one hypothesis per line of
 * {@code test.ja}. The references of BLEU are the target lines split by the corpus's own
 * tokenizer, unknown words included.
 *
 * @param split the training and validation pairs with their vocabularies
 * @param targetTokenizer how the target side splits a line
 * @param devReferences the validation targets' tokens, by pair
 * @param testSource the test sources' ids [N, S]
 * @param testSourceLengths the test sources' lengths [N]
 * @param testReferences the test targets' tokens, by line
 * @param statistics what {@link ParallelText} read and left out
 */
record TanakaCorpus(TranslationSplit split, TextTokenizer targetTokenizer, List<List<String>> devReferences,
    LongTensor testSource, LongTensor testSourceLengths, List<List<String>> testReferences, Map<String, Object> statistics) {

  /**
   * Reads the pairs of {@code task}, with the training files cut to their first {@code limitPairs}
   * lines (0: all) written as plain text into {@code sliceDir}, and the test files.
   *
   * @throws DataException for unreadable, empty or misaligned files
   */
  static TanakaCorpus read(ParallelTextTask task, int limitPairs, Path sliceDir, Path testSource, Path testTarget)
      throws IOException {
    ParallelTextTask t = limitPairs > 0 ? sliced(task, limitPairs, sliceDir) : task;
    ParallelText text = ParallelText.read(t);
    TranslationSplit split = text.split();
    TextTokenizer targetTokenizer = text.targetTokenizer();
    List<List<String>> dev = split.validation().targetText().stream().map(targetTokenizer::tokens).toList();
    List<String> sources = TextLines.read(testSource);
    List<String> targets = TextLines.read(testTarget);
    if (sources.size() != targets.size()) {
      throw new DataException(TextLines.fileName(testSource.toString()) + " has " + sources.size() + " lines but "
          + TextLines.fileName(testTarget.toString()) + " has " + targets.size() + ": parallel files must be aligned line by line");
    }
    int n = sources.size();
    int s = t.maxSourceLength();
    long[] ids = new long[n * s];
    long[] lengths = new long[n];
    TextTokenizer sourceTokenizer = text.sourceTokenizer();
    Vocabulary vocabulary = split.sourceVocabulary();
    for (int i = 0; i < n; i++) {
      int[] encoded = vocabulary.encode(sourceTokenizer.tokens(sources.get(i))).ids();
      int len = Math.min(encoded.length, s);
      for (int j = 0; j < len; j++) {
        ids[i * s + j] = encoded[j];
      }
      if (len == 0) {
        // an empty source line still gets a translation: one unknown token
        ids[i * s] = SpecialTokens.UNK;
        len = 1;
      }
      lengths[i] = len;
    }
    List<List<String>> refs = targets.stream().map(targetTokenizer::tokens).toList();
    return new TanakaCorpus(split, targetTokenizer, dev, LongTensor.of(ids, n, s), LongTensor.of(lengths, n), refs,
        text.statistics());
  }

  /** The task with its training files replaced by their first {@code limit} lines. */
  private static ParallelTextTask sliced(ParallelTextTask task, int limit, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path source = dir.resolve("train.source.txt");
    Path target = task.tsv() ? source : dir.resolve("train.target.txt");
    AtomicFiles.writeString(source, head(task.trainSource(), limit));
    if (!task.tsv()) {
      AtomicFiles.writeString(target, head(task.trainTarget(), limit));
    }
    return new ParallelTextTask(source.toAbsolutePath().toString(), target.toAbsolutePath().toString(), task.validationSource(),
        task.validationTarget(), task.sourceTokenizer(), task.targetTokenizer(), task.sourceLowercase(), task.targetLowercase(),
        task.minCount(), task.sourceVocabulary(), task.targetVocabulary(), task.maxSourceLength(), task.maxTargetLength(),
        task.truncate(), task.bucketed());
  }

  private static String head(String file, int limit) {
    List<String> lines = TextLines.read(Path.of(file));
    List<String> kept = new ArrayList<>(lines.subList(0, Math.min(limit, lines.size())));
    return String.join("\n", kept) + "\n";
  }
}
