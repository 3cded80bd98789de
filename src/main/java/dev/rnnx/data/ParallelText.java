package dev.rnnx.data;

import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.SpecialTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    List<String> trainSource = TextLines.read(Path.of(task.trainSource()));
    List<String> trainTarget = TextLines.read(Path.of(task.trainTarget()));
    aligned(task.trainSource(), trainSource, task.trainTarget(), trainTarget);
    List<String> validationSource = TextLines.read(Path.of(task.validationSource()));
    List<String> validationTarget = TextLines.read(Path.of(task.validationTarget()));
    aligned(task.validationSource(), validationSource, task.validationTarget(), validationTarget);
    Vocabulary source = p.vocabulary(trainSource, task.sourceLowercase(), task.sourceVocabulary(), task.trainSource(), "source");
    Vocabulary target = p.vocabulary(trainTarget, task.targetLowercase(), task.targetVocabulary(), task.trainTarget(), "target");
    TranslationExamples train = p.encode("training", trainSource, trainTarget, source, target);
    TranslationExamples validation = p.encode("validation", validationSource, validationTarget, source, target);
    p.split = new TranslationSplit(train, validation, source, target);
    return p;
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

  /** Splits a line as the task's tokenizer does. */
  public static List<String> tokens(String line, ParallelTextTask.Tokenizer tokenizer, boolean lowercase) {
    String text = lowercase ? line.toLowerCase(Locale.ROOT) : line;
    if (tokenizer == ParallelTextTask.Tokenizer.CHAR) {
      return text.codePoints().mapToObj(Character::toString).toList();
    }
    String trimmed = text.strip();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }

  private Vocabulary vocabulary(List<String> lines, boolean lowercase, int size, String file, String side) {
    Iterable<List<String>> sentences = () -> lines.stream().map(l -> tokens(l, task.tokenizer(), lowercase)).iterator();
    return TrainingVocabulary.build(sentences, task.minCount(), size, TextLines.fileName(file), side, statistics);
  }

  private TranslationExamples encode(String part, List<String> sources, List<String> targets, Vocabulary sv, Vocabulary tv) {
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
      List<String> src = tokens(sources.get(i), task.tokenizer(), task.sourceLowercase());
      List<String> tgt = tokens(targets.get(i), task.tokenizer(), task.targetLowercase());
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
      String sep = task.tokenizer() == ParallelTextTask.Tokenizer.CHAR ? "" : " ";
      sourceText.add(String.join(sep, src));
      targetText.add(String.join(sep, tgt));
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
