package dev.rnnx.data;

import java.util.List;

/**
 * A corpus of sentences as word ids, for word2vec.
 *
 * @param sentences each sentence's word ids
 * @param vocabulary the words
 */
public record Corpus(List<int[]> sentences, Vocabulary vocabulary) {

  /** Copies the list. */
  public Corpus {
    sentences = List.copyOf(sentences);
  }

  /** The number of words in all. */
  public long words() {
    return sentences.stream().mapToLong(s -> s.length).sum();
  }
}
