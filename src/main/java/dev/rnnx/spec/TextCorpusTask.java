package dev.rnnx.spec;

import java.util.HashSet;
import java.util.List;

/**
 * A corpus of raw text for a {@link Word2Vec} model: one sentence per line, tokenised like a
 * {@code parallel-text} side. The vocabulary is built from the file (tokens seen at least {@code
 * minCount} times, most frequent first, ties in code-point order, up to {@code vocabulary} ids
 * with the four special tokens); tokens outside it are left out of the sentences. Frequent words
 * are subsampled as in Mikolov et al. (2013, "Distributed Representations of Words and Phrases"):
 * each occurrence of a word w of relative frequency f(w) is kept with probability
 * {@code min(1, sqrt(subsample / f(w)))} (discarded with the paper's {@code 1 − sqrt(t / f(w))}),
 * drawn once for the whole training run from the recipe seed; {@code subsample: 0} keeps every
 * word. Sentences longer than {@code maxLength} tokens are cut there (and counted).
 *
 * @param train the corpus file, an absolute path (a recipe's relative path resolves against its folder); {@code .gz} is read gunzipped
 * @param tokenizer how a line is split
 * @param lowercase lower-case the text
 * @param minCount the fewest occurrences that earn a word its own id
 * @param vocabulary the vocabulary's size, specials included: the model's vocabulary
 * @param subsample the threshold t of frequent-word subsampling (typically 1e-3 to 1e-5), or 0 for none
 * @param maxLength the longest sentence kept whole, in tokens
 * @param queries words whose nearest neighbours the run reports (each must be in the vocabulary)
 */
public record TextCorpusTask(String train, ParallelTextTask.Tokenizer tokenizer, boolean lowercase, int minCount, int vocabulary,
    double subsample, int maxLength, List<String> queries) implements CorpusTask {

  /** Recipe task name. */
  public static final String TASK = "text";

  /** Validates the settings. */
  public TextCorpusTask {
    if (train == null || train.isBlank()) {
      throw new IllegalArgumentException("data.train is required, expected a text file with one sentence per line");
    }
    if (tokenizer == null) {
      throw new IllegalArgumentException("data.tokenizer is required, expected one of [whitespace, char, kuromoji]");
    }
    if (minCount < 1 || vocabulary <= SpecialTokens.FIRST_TEXT || maxLength < 2) {
      throw new IllegalArgumentException("data.min_count " + minCount + ", data.vocabulary " + vocabulary + " and data.max_length "
          + maxLength + " must be >= 1, > " + SpecialTokens.FIRST_TEXT + " (the special tokens) and >= 2");
    }
    if (!(subsample >= 0 && subsample < 1)) {
      throw new IllegalArgumentException("data.subsample is " + subsample + ", expected 0 (off) or a threshold in (0, 1) such as 1e-4");
    }
    queries = queries == null ? List.of() : List.copyOf(queries);
    if (new HashSet<>(queries).size() != queries.size()) {
      throw new IllegalArgumentException("data.queries lists a word twice: " + queries);
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
}
