package dev.rnnx.data;

import dev.rnnx.spec.TextCorpusTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TextCorpusTask}'s corpus: the lines of a UTF-8 file ({@link TextLines}: missing, empty
 * or invalid files refused with file, line and byte offset), each split by the task's {@link
 * TextTokenizer}; the vocabulary built from the file ({@link TrainingVocabulary}); every sentence
 * encoded with the words outside the vocabulary left out and cut at {@code max_length}; then
 * frequent words subsampled ({@link Subsampling}, seeded by the recipe seed). Sentences left with
 * fewer than two words give word2vec no context and are dropped. Ids are kept in one {@code int[]}
 * per sentence. What was read and left out is in {@link #statistics()}.
 */
public final class TextCorpus {

  /** Added to the recipe seed for the subsampling draws, so they differ from the weights' stream. */
  static final long SUBSAMPLING_STREAM = 0x5B5A_3F11L;

  private final Corpus corpus;
  private final TextTokenizer tokenizer;
  private final Map<String, Object> statistics;

  private TextCorpus(Corpus corpus, TextTokenizer tokenizer, Map<String, Object> statistics) {
    this.corpus = corpus;
    this.tokenizer = tokenizer;
    this.statistics = statistics;
  }

  /**
   * Reads the task's file.
   *
   * @param seed the recipe seed: the subsampling draws
   * @throws DataException for a missing, empty or non-UTF-8 file, a vocabulary the minimum count
   *     leaves empty, a query outside the vocabulary, or no sentence of two words or more
   */
  public static TextCorpus read(TextCorpusTask task, long seed) {
    String name = TextLines.fileName(task.train());
    TextTokenizer tokenizer = new TextTokenizer(task.tokenizer(), task.lowercase());
    List<String> lines = TextLines.read(Path.of(task.train()));
    Map<String, Object> statistics = new LinkedHashMap<>();
    // tokenised on the fly, twice (vocabulary, then ids): no list of tokens for the whole corpus
    Vocabulary vocabulary = TrainingVocabulary.build(() -> lines.stream().map(tokenizer::tokens).iterator(), task.minCount(),
        task.vocabulary(), name, "text", statistics);
    for (String q : task.queries()) {
      String word = task.lowercase() ? q.toLowerCase(java.util.Locale.ROOT) : q;
      if (!vocabulary.contains(word)) {
        throw new DataException(name + ": data.queries word '" + q + "' is not in the vocabulary (it occurs fewer than min_count "
            + task.minCount() + " times, or is not among the " + (task.vocabulary() - Vocabulary.SPECIALS.size())
            + " most frequent words)");
      }
    }
    List<int[]> encoded = new ArrayList<>(lines.size());
    long[] counts = new long[vocabulary.size()];
    long tokens = 0;
    long unknown = 0;
    int truncated = 0;
    for (String line : lines) {
      List<String> words = tokenizer.tokens(line);
      tokens += words.size();
      int[] ids = new int[Math.min(words.size(), task.maxLength())];
      int n = 0;
      for (String w : words) {
        int id = vocabulary.id(w);
        if (id == dev.rnnx.spec.SpecialTokens.UNK) {
          unknown++;
          continue;
        }
        if (n == ids.length) {
          truncated++;
          break;
        }
        ids[n++] = id;
        counts[id]++;
      }
      encoded.add(n == ids.length ? ids : java.util.Arrays.copyOf(ids, n));
    }
    Subsampling subsampling = new Subsampling(counts, task.subsample(), seed + SUBSAMPLING_STREAM);
    List<int[]> sentences = new ArrayList<>(encoded.size());
    long kept = 0;
    long known = 0;
    int short0 = 0;
    for (int[] ids : encoded) {
      known += ids.length;
      int[] s = subsampling.apply(ids);
      if (s.length < 2) {
        short0++;
        continue;
      }
      kept += s.length;
      sentences.add(s);
    }
    if (sentences.isEmpty()) {
      throw new DataException(name + ": no sentence keeps two words or more in the vocabulary: word2vec has no context to learn from");
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("lines_read", lines.size());
    p.put("sentences_kept", sentences.size());
    p.put("dropped_under_two_words", short0);
    p.put("truncated", truncated);
    p.put("tokens_read", tokens);
    p.put("oov_rate", tokens == 0 ? 0.0 : (double) unknown / tokens);
    p.put("subsample", task.subsample());
    p.put("words_before_subsampling", known);
    p.put("words_after_subsampling", kept);
    p.put("tokens", kept);
    statistics.put("training", p);
    return new TextCorpus(new Corpus(sentences, vocabulary), tokenizer, statistics);
  }

  /** The sentences as word ids, with the vocabulary. */
  public Corpus corpus() {
    return corpus;
  }

  /** How a line was split. */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** Lines read, sentences dropped or cut, the vocabulary's figures, the words subsampling kept. */
  public Map<String, Object> statistics() {
    return statistics;
  }
}
