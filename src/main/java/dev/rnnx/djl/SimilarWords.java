package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Word2Vec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code most_similar} over a word2vec run's exported form, on one DJL engine. Thread-safe. */
public final class SimilarWords implements AutoCloseable {

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
  private final Runnable onClose;

  /** Over a runnable {@code most_similar} form; {@code onClose} (or {@code null}) releases what it holds, run by {@link #close()}. */
  SimilarWords(Word2Vec spec, VocabularyFile vocabulary, Function<Map<String, Tensor>, Map<String, FloatTensor>> model,
      Runnable onClose) {
    this.spec = spec;
    this.vocabulary = vocabulary;
    this.model = model;
    this.onClose = onClose;
  }

  /**
   * Loads a word2vec run's {@code most_similar} form.
   *
   * @throws IllegalArgumentException when the folder is not a word2vec run or lacks an artifact
   */
  public static SimilarWords load(Path runDir, String engine) {
    RunFolder run = RunFolder.open(runDir);
    if (!(run.model() instanceof Word2Vec w)) {
      throw new IllegalArgumentException(runDir + " holds a " + run.model().kind() + " model, expected a word2vec run");
    }
    VocabularyFile vocabulary = VocabularyFile.read(runDir);
    DjlModel model = run.load(ModelForm.MOST_SIMILAR, engine);
    return new SimilarWords(w, vocabulary, model::run, model::close);
  }

  /**
   * The {@code k} words nearest to {@code word}, best first.
   *
   * @throws IllegalArgumentException for an unknown word or a {@code k} out of range
   */
  public List<Neighbour> mostSimilar(String word, int k) {
    if (word == null || !vocabulary.source().contains(word) || vocabulary.source().id(word) < 4) {
      throw new InvalidInputException(InvalidInputException.Problem.OUT_OF_RANGE, "ids",
          "'" + word + "' is not in the vocabulary of " + (vocabulary.source().size() - 4) + " words");
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

  @Override
  public void close() {
    if (onClose != null) {
      onClose.run();
    }
  }
}
