package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Word2Vec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code most_similar} over a word2vec run's exported form, served by {@link
 * RnnxModel#similarWords()}. Thread-safe; the model owns the engine, so there is nothing to close.
 */
public final class SimilarWords {

  /**
   * One neighbour.
   *
   * @param word the word
   * @param score its cosine similarity to the query
   */
  public record Neighbour(String word, double score) {}

  private final Word2Vec spec;
  private final VocabularyFile vocabulary;
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> model;

  /** Over a runnable {@code most_similar} form. */
  SimilarWords(Word2Vec spec, VocabularyFile vocabulary, Function<Map<String, Tensor>, Map<String, FloatTensor>> model) {
    this.spec = spec;
    this.vocabulary = vocabulary;
    this.model = model;
  }

  /** {@code word} as the vocabulary reads it: lower-cased when the vocabulary is lower case, as its corpus was. */
  public String normalise(String word) {
    return word == null ? null : vocabulary.source().normalise(word.strip());
  }

  /**
   * The {@code k} words nearest to {@code word} ({@link #normalise normalised}), best first.
   *
   * @throws IllegalArgumentException for an unknown word (naming near matches, or how the
   *     vocabulary treats case) or a {@code k} out of range
   */
  public List<Neighbour> mostSimilar(String word, int k) {
    Vocabulary v = vocabulary.source();
    String asked = word;
    word = normalise(word);
    if (word == null || !v.contains(word) || v.id(word) < 4) {
      List<String> near = word == null ? List.of() : v.nearest(word, 5);
      throw new InvalidInputException(InvalidInputException.Problem.OUT_OF_RANGE, "ids",
          "'" + asked + "' is not in the vocabulary of " + (v.size() - 4) + " words"
              + (v.lowerCase() ? " (lower case; input is lower-cased)" : " (case-sensitive)")
              + (near.isEmpty() ? "; no word within edit distance 2" : "; near matches: " + String.join(", ", near)));
    }
    int max = spec.vocabulary() - 5;
    if (k < 1 || k > max) {
      throw new InvalidInputException(InvalidInputException.Problem.OUT_OF_RANGE, "k", "k is " + k + ", expected 1 … " + max);
    }
    Map<String, FloatTensor> out = model.apply(Map.<String, Tensor>of(
        "ids", LongTensor.of(new long[] {vocabulary.source().id(word)}, 1), "k", LongTensor.of(new long[] {k}, 1)));
    float[] indices = out.get("indices").data();
    float[] scores = out.get("scores").data();
    List<Neighbour> result = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      result.add(new Neighbour(vocabulary.source().token((int) indices[i]), scores[i]));
    }
    return result;
  }
}
