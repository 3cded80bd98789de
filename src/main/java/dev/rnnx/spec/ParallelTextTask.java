package dev.rnnx.spec;

import java.util.Locale;

/**
 * Sentence pairs read from aligned text files (line N of the source file translates line N of the
 * target file) or from one TSV file ({@code source<TAB>target} per line: the same file on both
 * sides, see {@link #tsv()}), tokenised per side, with vocabularies built from the training files: every token seen at
 * least {@code minCount} times, most frequent first, up to the vocabulary sizes (the four special
 * tokens included). Sentences longer than the limits are dropped or truncated, and counted.
 *
 * @param trainSource training source file, an absolute path (a recipe's relative paths resolve against its folder)
 * @param trainTarget training target file
 * @param validationSource validation source file
 * @param validationTarget validation target file
 * @param sourceTokenizer how the source side splits a line
 * @param targetTokenizer how the target side splits a line
 * @param sourceLowercase lower-case the source side
 * @param targetLowercase lower-case the target side
 * @param minCount the fewest training occurrences that earn a token its own id
 * @param sourceVocabulary the source vocabulary's size, specials included (the model's; ids past the tokens found stay unused)
 * @param targetVocabulary the target vocabulary's size, specials included
 * @param maxSourceLength the longest source kept, in tokens
 * @param maxTargetLength the longest target kept, in tokens, EOS included
 * @param truncate cut longer sentences to the limits instead of dropping the pair
 * @param bucketed train on batches of similar lengths ({@code batching: bucketed}) instead of plainly shuffled ones
 */
public record ParallelTextTask(String trainSource, String trainTarget, String validationSource, String validationTarget,
    Tokenizer sourceTokenizer, Tokenizer targetTokenizer, boolean sourceLowercase, boolean targetLowercase, int minCount, int sourceVocabulary,
    int targetVocabulary, int maxSourceLength, int maxTargetLength, boolean truncate, boolean bucketed) implements TranslationTask {

  /** Recipe task name. */
  public static final String TASK = "parallel-text";

  /** How a line becomes tokens. */
  public enum Tokenizer {
    /** Split on runs of white space (pre-tokenised corpora). */
    WHITESPACE,
    /** One token per character (Unicode code point), white space included. */
    CHAR,
    /** Japanese morphological analysis (kuromoji, IPADIC): one token per morpheme, white space left out. */
    KUROMOJI;

    /** The name in recipes. */
    public String recipeName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a recipe name. */
    public static Tokenizer fromName(String name) {
      for (Tokenizer t : values()) {
        if (t.recipeName().equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown tokenizer '" + name + "', expected one of [whitespace, char, kuromoji]");
    }
  }

  /** Validates the settings. */
  public ParallelTextTask {
    for (String f : new String[] {trainSource, trainTarget, validationSource, validationTarget}) {
      if (f == null || f.isBlank()) {
        throw new IllegalArgumentException("data.train_source, train_target, validation_source and validation_target are required");
      }
    }
    if (sourceTokenizer == null || targetTokenizer == null) {
      throw new IllegalArgumentException("data.tokenizer (or data.source_tokenizer and data.target_tokenizer) is required,"
          + " expected one of [whitespace, char, kuromoji]");
    }
    if (minCount < 1) {
      throw new IllegalArgumentException("data.min_count is " + minCount + ", expected a positive integer");
    }
    if (sourceVocabulary <= SpecialTokens.FIRST_TEXT || targetVocabulary <= SpecialTokens.FIRST_TEXT) {
      throw new IllegalArgumentException("data.source_vocabulary and data.target_vocabulary are " + sourceVocabulary + " and "
          + targetVocabulary + ", expected more than the " + SpecialTokens.FIRST_TEXT + " special tokens");
    }
    if (maxSourceLength < 1 || maxTargetLength < 2) {
      throw new IllegalArgumentException("data.max_source_length is " + maxSourceLength + " and data.max_target_length "
          + maxTargetLength + ", expected at least 1 and 2 (a token and EOS)");
    }
  }

  /** Both sides split with one tokenizer; plainly shuffled batches. */
  public ParallelTextTask(String trainSource, String trainTarget, String validationSource, String validationTarget,
      Tokenizer tokenizer, boolean sourceLowercase, boolean targetLowercase, int minCount, int sourceVocabulary,
      int targetVocabulary, int maxSourceLength, int maxTargetLength, boolean truncate) {
    this(trainSource, trainTarget, validationSource, validationTarget, tokenizer, tokenizer, sourceLowercase, targetLowercase,
        minCount, sourceVocabulary, targetVocabulary, maxSourceLength, maxTargetLength, truncate, false);
  }

  /**
   * Whether the pairs come from TSV files: each part names one file on both sides, and each of its
   * lines holds {@code source<TAB>target}.
   */
  public boolean tsv() {
    return trainSource.equals(trainTarget) && validationSource.equals(validationTarget);
  }

  @Override
  public String task() {
    return TASK;
  }
}
