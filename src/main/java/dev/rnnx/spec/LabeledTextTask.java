package dev.rnnx.spec;

import java.util.HashSet;
import java.util.List;

/**
 * Text classification read from TSV files, one example per line: {@code label<TAB>text}. The text is
 * tokenised, its vocabulary built from the training file (tokens seen at least {@code minCount}
 * times, most frequent first, up to {@code vocabulary} ids with the four special tokens); labels
 * are the listed ones, in order (targets one-hot {@code [N, labels]}). Inputs are token ids
 * {@code [N, maxLength]} with {@code lengths}; longer texts are dropped or truncated, and counted.
 *
 * @param train the training TSV, an absolute path (a recipe's relative path resolves against its folder)
 * @param validation the validation TSV
 * @param labels the classes, in output order
 * @param tokenizer how a text is split
 * @param lowercase lower-case the text
 * @param minCount the fewest training occurrences that earn a token its own id
 * @param vocabulary the vocabulary's size, specials included (the embedding's input_dim)
 * @param maxLength the longest text kept, in tokens
 * @param truncate cut longer texts instead of dropping them
 * @param bucketed train on batches of similar lengths ({@code batching: bucketed}) instead of plainly shuffled ones
 */
public record LabeledTextTask(String train, String validation, List<String> labels, ParallelTextTask.Tokenizer tokenizer,
    boolean lowercase, int minCount, int vocabulary, int maxLength, boolean truncate, boolean bucketed) implements SequenceTask {

  /** Recipe task name. */
  public static final String TASK = "labeled-text";

  /** Validates the settings. */
  public LabeledTextTask {
    if (train == null || train.isBlank() || validation == null || validation.isBlank()) {
      throw new IllegalArgumentException("data.train and data.validation are required, expected TSV files (label, text)");
    }
    labels = List.copyOf(labels);
    if (labels.size() < 2 || new HashSet<>(labels).size() != labels.size()) {
      throw new IllegalArgumentException("data.labels is " + labels + ", expected at least two distinct labels");
    }
    if (tokenizer == null) {
      throw new IllegalArgumentException("data.tokenizer is required, expected one of [whitespace, char, kuromoji]");
    }
    if (minCount < 1 || vocabulary <= SpecialTokens.FIRST_TEXT || maxLength < 1) {
      throw new IllegalArgumentException("data.min_count " + minCount + ", data.vocabulary " + vocabulary + " and data.max_length "
          + maxLength + " must be >= 1, > " + SpecialTokens.FIRST_TEXT + " (the special tokens) and >= 1");
    }
  }

  /** Plainly shuffled batches. */
  public LabeledTextTask(String train, String validation, List<String> labels, ParallelTextTask.Tokenizer tokenizer,
      boolean lowercase, int minCount, int vocabulary, int maxLength, boolean truncate) {
    this(train, validation, labels, tokenizer, lowercase, minCount, vocabulary, maxLength, truncate, false);
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public int sequenceLength() {
    return maxLength;
  }

  @Override
  public ModelInput modelInput() {
    return ModelInput.ofTokens().withLengths();
  }

  @Override
  public Shape targetShape() {
    return Shape.of(Shape.DYNAMIC, labels.size());
  }
}
