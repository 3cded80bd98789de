package dev.rnnx.data;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LabeledTextTask;
import dev.rnnx.spec.LongTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link LabeledTextTask}'s examples: TSV lines {@code label<TAB>text} read and checked (a line
 * without a tab or with an unknown label is refused with file and line), the vocabulary built from
 * the training file, texts over the length limit dropped or truncated, ids in primitive arrays.
 */
public final class LabeledText {

  private final LabeledTextTask task;
  private final Map<String, Object> statistics = new LinkedHashMap<>();
  private Split split;
  private Vocabulary vocabulary;

  private LabeledText(LabeledTextTask task) {
    this.task = task;
  }

  /**
   * Reads the task's files.
   *
   * @throws DataException for a missing, empty or non-UTF-8 file, a malformed line, an unknown
   *     label, or a vocabulary the minimum count leaves empty
   */
  public static LabeledText read(LabeledTextTask task) {
    LabeledText l = new LabeledText(task);
    List<String[]> train = l.rows(task.train());
    List<String[]> validation = l.rows(task.validation());
    Iterable<List<String>> sentences = () -> train.stream()
        .map(r -> new TextTokenizer(task.tokenizer(), task.lowercase()).tokens(r[1])).iterator();
    Vocabulary vocabulary = TrainingVocabulary.build(sentences, task.minCount(), task.vocabulary(),
        TextLines.fileName(task.train()), "text", l.statistics);
    l.split = new Split(l.encode("training", train, vocabulary), l.encode("validation", validation, vocabulary));
    l.vocabulary = vocabulary;
    return l;
  }

  /** The token vocabulary of the training file. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** How a text is split, at training and at inference. */
  public TextTokenizer tokenizer() {
    return new TextTokenizer(task.tokenizer(), task.lowercase());
  }

  /** The training and validation examples. */
  public Split split() {
    return split;
  }

  /** Lines read, dropped or truncated, the vocabulary's figures, the validation OOV rate. */
  public Map<String, Object> statistics() {
    return statistics;
  }

  private List<String[]> rows(String file) {
    List<String> lines = TextLines.read(Path.of(file));
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw DataException.at(TextLines.fileName(file), i + 1, "expected a label, a tab and the text, got no tab");
      }
      String label = line.substring(0, tab).strip();
      if (!task.labels().contains(label)) {
        throw DataException.at(TextLines.fileName(file), i + 1, "label '" + label + "' is not one of data.labels " + task.labels());
      }
      rows.add(new String[] {label, line.substring(tab + 1)});
    }
    if (rows.isEmpty()) {
      throw new DataException(TextLines.fileName(file) + ": holds no labelled line");
    }
    return rows;
  }

  private Dataset encode(String part, List<String[]> rows, Vocabulary vocabulary) {
    int t = task.maxLength();
    int k = task.labels().size();
    long[] ids = new long[rows.size() * t];
    long[] lengths = new long[rows.size()];
    float[] y = new float[rows.size() * k];
    int kept = 0;
    int droppedLong = 0;
    int droppedEmpty = 0;
    int truncated = 0;
    long tokens = 0;
    long unknown = 0;
    for (String[] row : rows) {
      List<String> text = new TextTokenizer(task.tokenizer(), task.lowercase()).tokens(row[1]);
      if (text.isEmpty()) {
        droppedEmpty++;
        continue;
      }
      if (text.size() > t) {
        if (!task.truncate()) {
          droppedLong++;
          continue;
        }
        truncated++;
        text = text.subList(0, t);
      }
      Vocabulary.Encoded e = vocabulary.encode(text);
      tokens += text.size();
      unknown += e.unknown();
      for (int j = 0; j < e.ids().length; j++) {
        ids[kept * t + j] = e.ids()[j];
      }
      lengths[kept] = e.ids().length;
      y[kept * k + task.labels().indexOf(row[0])] = 1;
      kept++;
    }
    if (kept == 0) {
      throw new DataException("the " + part + " file holds no text within max_length " + t);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("rows_read", rows.size());
    p.put("rows_kept", kept);
    p.put("dropped_too_long", droppedLong);
    p.put("dropped_empty", droppedEmpty);
    p.put("truncated", truncated);
    p.put("oov_rate", (double) unknown / tokens);
    p.put("tokens", tokens);
    p.put("padding_fraction", 1 - (double) tokens / ((long) kept * t));
    statistics.put(part, p);
    return new Dataset(LongTensor.of(Arrays.copyOf(ids, kept * t), kept, t), FloatTensor.of(Arrays.copyOf(y, kept * k), kept, k),
        LongTensor.of(Arrays.copyOf(lengths, kept), kept));
  }
}
