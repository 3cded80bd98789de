package dev.rnnx.data;

import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.SpecialTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ParallelTextTask}'s sentence pairs: read, checked (aligned line counts, UTF-8, no empty
 * file), tokenised, the vocabularies built from the training pairs, the pairs over the length
 * limits dropped or truncated, and everything encoded into primitive id arrays. What was read and
 * left out is in {@link #statistics()}.
 */
public final class ParallelText {

  private final ParallelTextTask task;
  private final Map<String, Object> statistics = new LinkedHashMap<>();
  private TranslationSplit split;

  private ParallelText(ParallelTextTask task) {
    this.task = task;
  }

  /**
   * Reads the task's files.
   *
   * @throws DataException for a missing, empty or non-UTF-8 file, files of different lengths, or a
   *     vocabulary that the minimum count leaves empty
   */
  public static ParallelText read(ParallelTextTask task) {
    ParallelText p = new ParallelText(task);
    List<String> trainSource = new ArrayList<>();
    List<String> trainTarget = new ArrayList<>();
    List<String> validationSource = new ArrayList<>();
    List<String> validationTarget = new ArrayList<>();
    if (task.tsv()) {
      columns(task.trainSource(), trainSource, trainTarget);
      columns(task.validationSource(), validationSource, validationTarget);
    } else {
      trainSource.addAll(TextLines.read(Path.of(task.trainSource())));
      trainTarget.addAll(TextLines.read(Path.of(task.trainTarget())));
      aligned(task.trainSource(), trainSource, task.trainTarget(), trainTarget);
      validationSource.addAll(TextLines.read(Path.of(task.validationSource())));
      validationTarget.addAll(TextLines.read(Path.of(task.validationTarget())));
      aligned(task.validationSource(), validationSource, task.validationTarget(), validationTarget);
    }
    // tokenised on the fly, twice (vocabulary, then ids): no list of tokens for the whole corpus
    Vocabulary source = TrainingVocabulary.build(tokenised(trainSource, p.sourceTokenizer()), task.minCount(),
        task.sourceVocabulary(), TextLines.fileName(task.trainSource()), "source", p.statistics);
    Vocabulary target = TrainingVocabulary.build(tokenised(trainTarget, p.targetTokenizer()), task.minCount(),
        task.targetVocabulary(), TextLines.fileName(task.trainTarget()), "target", p.statistics);
    TranslationExamples train = p.encode("training", trainSource, trainTarget, source, target);
    TranslationExamples validation = p.encode("validation", validationSource, validationTarget, source, target);
    p.split = new TranslationSplit(train, validation, source, target);
    return p;
  }

  /** How the source side is split. */
  public TextTokenizer sourceTokenizer() {
    return new TextTokenizer(task.sourceTokenizer(), task.sourceLowercase());
  }

  /** How the target side is split. */
  public TextTokenizer targetTokenizer() {
    return new TextTokenizer(task.targetTokenizer(), task.targetLowercase());
  }

  private static Iterable<List<String>> tokenised(List<String> lines, TextTokenizer tokenizer) {
    return () -> lines.stream().map(tokenizer::tokens).iterator();
  }

  /** Splits each line of a TSV file at its one tab into the source and the target. */
  private static void columns(String file, List<String> sources, List<String> targets) {
    List<String> lines = TextLines.read(Path.of(file));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int tab = line.indexOf('\t');
      if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
        throw DataException.at(TextLines.fileName(file), i + 1, "expected a source, a tab and a target (2 tab-separated columns), got "
            + (line.split("\t", -1).length) + " column(s)");
      }
      sources.add(line.substring(0, tab));
      targets.add(line.substring(tab + 1));
    }
  }

  /** The training and validation pairs with their vocabularies. */
  public TranslationSplit split() {
    return split;
  }

  /** Lines read, pairs dropped or truncated and why, vocabulary sizes, the validation OOV rate. */
  public Map<String, Object> statistics() {
    return statistics;
  }

  private static void aligned(String sourceFile, List<String> source, String targetFile, List<String> target) {
    if (source.size() != target.size()) {
      throw new DataException(TextLines.fileName(sourceFile) + " has " + source.size() + " lines but "
          + TextLines.fileName(targetFile) + " has "
          + target.size() + ": parallel files must be aligned line by line");
    }
  }

  private TranslationExamples encode(String part, List<String> sources, List<String> targets, Vocabulary sv, Vocabulary tv) {
    TextTokenizer sourceTokenizer = sourceTokenizer();
    TextTokenizer targetTokenizer = targetTokenizer();
    int s = task.maxSourceLength();
    int t = task.maxTargetLength();
    int n = sources.size();
    long[] source = new long[n * s];
    long[] sourceLengths = new long[n];
    long[] target = new long[n * t];
    long[] targetLengths = new long[n];
    List<String> sourceText = new ArrayList<>();
    List<String> targetText = new ArrayList<>();
    int kept = 0;
    int droppedLong = 0;
    int droppedEmpty = 0;
    int truncated = 0;
    long tokens = 0;
    long unknown = 0;
    long slots = 0;
    for (int i = 0; i < n; i++) {
      List<String> src = sourceTokenizer.tokens(sources.get(i));
      List<String> tgt = targetTokenizer.tokens(targets.get(i));
      if (src.isEmpty() || tgt.isEmpty()) {
        droppedEmpty++;
        continue;
      }
      if (src.size() > s || tgt.size() + 1 > t) {
        if (!task.truncate()) {
          droppedLong++;
          continue;
        }
        truncated++;
        src = src.subList(0, Math.min(src.size(), s));
        tgt = tgt.subList(0, Math.min(tgt.size(), t - 1));
      }
      Vocabulary.Encoded a = sv.encode(src);
      Vocabulary.Encoded b = tv.encode(tgt);
      tokens += src.size() + tgt.size();
      slots += a.ids().length + b.ids().length + 1;
      unknown += a.unknown() + b.unknown();
      for (int j = 0; j < a.ids().length; j++) {
        source[kept * s + j] = a.ids()[j];
      }
      sourceLengths[kept] = a.ids().length;
      for (int j = 0; j < b.ids().length; j++) {
        target[kept * t + j] = b.ids()[j];
      }
      target[kept * t + b.ids().length] = SpecialTokens.EOS;
      targetLengths[kept] = b.ids().length + 1;
      sourceText.add(sourceTokenizer.join(src));
      targetText.add(targetTokenizer.join(tgt));
      kept++;
    }
    if (kept == 0) {
      throw new DataException("the " + part + " files hold no pair within max_source_length " + s + " and max_target_length " + t);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("pairs_read", n);
    p.put("pairs_kept", kept);
    p.put("dropped_too_long", droppedLong);
    p.put("dropped_empty", droppedEmpty);
    p.put("truncated", truncated);
    p.put("oov_rate", tokens == 0 ? 0.0 : (double) unknown / tokens);
    p.put("tokens", slots);
    // every batch is padded to the limits (no bucketing yet): the share of padding in the id arrays
    p.put("padding_fraction", 1 - (double) slots / ((long) kept * (s + t)));
    statistics.put(part, p);
    return new TranslationExamples(LongTensor.of(Arrays.copyOf(source, kept * s), kept, s),
        LongTensor.of(Arrays.copyOf(sourceLengths, kept), kept), LongTensor.of(Arrays.copyOf(target, kept * t), kept, t),
        LongTensor.of(Arrays.copyOf(targetLengths, kept), kept), sourceText, targetText);
  }
}
