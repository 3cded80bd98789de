package dev.rnnx.spec;

/**
 * Sequence tagging read from text files in the CoNLL style: one token and its tag per line,
 * separated by white space (a tab or spaces; exactly two fields), a blank line between sentences.
 * The token vocabulary is built from the training file (tokens seen at least {@code minCount}
 * times, most frequent first, up to {@code vocabulary} ids with the four special tokens); the tag
 * set is every tag of the training file, most frequent first (ties in code-point order), and must
 * fit in {@code tags} outputs. Inputs are token ids {@code [N, maxLength]} with {@code lengths};
 * targets are one-hot {@code [N, maxLength, tags]}, zero past a sentence's length (those steps
 * count for nothing). Longer sentences are dropped or truncated, and counted; a validation
 * sentence holding a tag the training file never uses is dropped and counted.
 *
 * @param train the training file, an absolute path (a recipe's relative path resolves against its folder)
 * @param validation the validation file
 * @param lowercase lower-case the tokens
 * @param minCount the fewest training occurrences that earn a token its own id
 * @param vocabulary the token vocabulary's size, specials included (the embedding's input_dim)
 * @param tags the model's output width: at least the number of distinct training tags
 * @param maxLength the longest sentence kept, in tokens
 * @param truncate cut longer sentences instead of dropping them
 * @param bucketed train on batches of similar lengths ({@code batching: bucketed}) instead of plainly shuffled ones
 */
public record TaggedTextTask(String train, String validation, boolean lowercase, int minCount, int vocabulary, int tags,
    int maxLength, boolean truncate, boolean bucketed) implements SequenceTask {

  /** Recipe task name. */
  public static final String TASK = "tagged-text";

  /** Validates the settings. */
  public TaggedTextTask {
    if (train == null || train.isBlank() || validation == null || validation.isBlank()) {
      throw new IllegalArgumentException("data.train and data.validation are required, expected files of token and tag lines");
    }
    if (minCount < 1 || vocabulary <= SpecialTokens.FIRST_TEXT || tags < 2 || maxLength < 1) {
      throw new IllegalArgumentException("data.min_count " + minCount + ", data.vocabulary " + vocabulary + ", data.tags " + tags
          + " and data.max_length " + maxLength + " must be >= 1, > " + SpecialTokens.FIRST_TEXT + " (the special tokens), >= 2 and >= 1");
    }
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
    return Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, tags);
  }
}
