package dev.rnnx.data;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.TaggedTextTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TaggedTextTask}'s sentences: lines of a token and its tag (two white-space-separated
 * fields; another count is refused with file and line), a blank line between sentences, read and
 * checked as UTF-8 ({@link TextLines}); the token vocabulary ({@link TrainingVocabulary}) and the
 * tag set from the training file; sentences over the length limit dropped or truncated; ids and
 * one-hot tags in primitive arrays. What was read and left out is in {@link #statistics()}.
 */
public final class TaggedText {

  private final TaggedTextTask task;
  private final Map<String, Object> statistics = new LinkedHashMap<>();
  private List<String> tags;
  private Split split;
  private Vocabulary vocabulary;

  private TaggedText(TaggedTextTask task) {
    this.task = task;
  }

  /** One sentence: its tokens and their tags, and the line it starts on. */
  private record Sentence(List<String> tokens, List<String> tags, int line) {}

  /**
   * Reads the task's files.
   *
   * @throws DataException for a missing, empty or non-UTF-8 file, a line without exactly two fields,
   *     a file without a sentence, more distinct tags than {@code data.tags}, or a vocabulary the
   *     minimum count leaves empty
   */
  public static TaggedText read(TaggedTextTask task) {
    TaggedText t = new TaggedText(task);
    List<Sentence> train = t.sentences(task.train());
    List<Sentence> validation = t.sentences(task.validation());
    Vocabulary vocabulary = TrainingVocabulary.build(() -> train.stream().map(Sentence::tokens).iterator(), task.minCount(),
        task.vocabulary(), TextLines.fileName(task.train()), "token", t.statistics);
    t.tags = tagSet(train, task.tags(), TextLines.fileName(task.train()));
    Map<String, Object> tagFigures = new LinkedHashMap<>();
    tagFigures.put("size", t.tags.size());
    tagFigures.put("model_size", task.tags());
    tagFigures.put("tags", t.tags);
    t.statistics.put("tag_vocabulary", tagFigures);
    t.split = new Split(t.encode("training", train, vocabulary), t.encode("validation", validation, vocabulary));
    t.vocabulary = vocabulary;
    return t;
  }

  /** The token vocabulary of the training file. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /**
   * The tables inference needs ({@code vocabulary.json}): the tokens as the source side, the tags
   * as the target side (tag {@code i} is target id {@code 4 + i}, after the special tokens), and a
   * whitespace tokenizer with the task's lower-casing, so raw text is split at white space.
   */
  public VocabularyFile vocabularyFile() {
    TextTokenizer split = new TextTokenizer(dev.rnnx.spec.ParallelTextTask.Tokenizer.WHITESPACE, task.lowercase());
    return new VocabularyFile(VocabularyFile.WORDS, vocabulary, new Vocabulary(tags)).withTokenizers(split, split);
  }

  /** The training and validation examples. */
  public Split split() {
    return split;
  }

  /** The tags by output index: the training file's, most frequent first. */
  public List<String> tags() {
    return tags;
  }

  /** Lines and sentences read, dropped or truncated, the vocabularies' figures, the validation OOV rate. */
  public Map<String, Object> statistics() {
    return statistics;
  }

  private List<Sentence> sentences(String file) {
    String name = TextLines.fileName(file);
    List<String> lines = TextLines.read(Path.of(file));
    List<Sentence> out = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    List<String> tagsOf = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= lines.size(); i++) {
      String line = i < lines.size() ? lines.get(i).strip() : "";
      if (line.isEmpty()) {
        if (!tokens.isEmpty()) {
          out.add(new Sentence(List.copyOf(tokens), List.copyOf(tagsOf), start + 1));
          tokens.clear();
          tagsOf.clear();
        }
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length != 2) {
        throw DataException.at(name, i + 1, "expected a token and its tag (2 fields separated by a tab or spaces), got "
            + fields.length + " field(s)");
      }
      if (tokens.isEmpty()) {
        start = i;
      }
      tokens.add(task.lowercase() ? fields[0].toLowerCase(java.util.Locale.ROOT) : fields[0]);
      tagsOf.add(fields[1]);
    }
    if (out.isEmpty()) {
      throw new DataException(name + ": holds no sentence (only blank lines)");
    }
    return out;
  }

  /** The training tags, most frequent first, ties in code-point order. */
  private static List<String> tagSet(List<Sentence> train, int limit, String file) {
    Map<String, int[]> counts = new HashMap<>();
    for (Sentence s : train) {
      s.tags().forEach(tag -> counts.computeIfAbsent(tag, k -> new int[1])[0]++);
    }
    List<String> tags = new ArrayList<>(counts.keySet());
    tags.sort((a, b) -> counts.get(a)[0] != counts.get(b)[0] ? Integer.compare(counts.get(b)[0], counts.get(a)[0]) : a.compareTo(b));
    if (tags.size() > limit) {
      throw new DataException(file + ": holds " + tags.size() + " distinct tags but data.tags is " + limit
          + " (the model's output width); raise data.tags and the last layer's units to at least " + tags.size());
    }
    return List.copyOf(tags);
  }

  private Dataset encode(String part, List<Sentence> sentences, Vocabulary vocabulary) {
    int t = task.maxLength();
    int k = task.tags();
    int n = sentences.size();
    Map<String, Integer> tagIds = new HashMap<>();
    for (int i = 0; i < tags.size(); i++) {
      tagIds.put(tags.get(i), i);
    }
    long[] ids = new long[Math.multiplyExact(n, t)];
    long[] lengths = new long[n];
    float[] y = new float[Math.multiplyExact(Math.multiplyExact(n, t), k)];
    int kept = 0;
    int droppedLong = 0;
    int droppedTag = 0;
    int truncated = 0;
    long tokens = 0;
    long unknown = 0;
    for (Sentence s : sentences) {
      List<String> words = s.tokens();
      List<String> tagsOf = s.tags();
      if (!tagIds.keySet().containsAll(tagsOf)) {
        droppedTag++;
        continue;
      }
      if (words.size() > t) {
        if (!task.truncate()) {
          droppedLong++;
          continue;
        }
        truncated++;
        words = words.subList(0, t);
        tagsOf = tagsOf.subList(0, t);
      }
      Vocabulary.Encoded e = vocabulary.encode(words);
      tokens += words.size();
      unknown += e.unknown();
      for (int j = 0; j < e.ids().length; j++) {
        ids[kept * t + j] = e.ids()[j];
        y[(kept * t + j) * k + tagIds.get(tagsOf.get(j))] = 1;
      }
      lengths[kept] = e.ids().length;
      kept++;
    }
    if (kept == 0) {
      throw new DataException(TextLines.fileName(part.equals("training") ? task.train() : task.validation())
          + ": holds no sentence within max_length " + t + " whose tags are all training tags");
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sentences_read", n);
    p.put("sentences_kept", kept);
    p.put("dropped_too_long", droppedLong);
    p.put("dropped_unknown_tag", droppedTag);
    p.put("truncated", truncated);
    p.put("oov_rate", (double) unknown / tokens);
    p.put("tokens", tokens);
    p.put("padding_fraction", 1 - (double) tokens / ((long) kept * t));
    statistics.put(part, p);
    return new Dataset(LongTensor.of(Arrays.copyOf(ids, kept * t), kept, t), FloatTensor.of(Arrays.copyOf(y, kept * t * k), kept, t, k),
        LongTensor.of(Arrays.copyOf(lengths, kept), kept));
  }
}
