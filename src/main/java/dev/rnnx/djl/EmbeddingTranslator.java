package dev.rnnx.djl;

import dev.rnnx.data.VocabularyFile;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.InvalidInputException.Problem;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.util.Map;

/**
 * Embedding lookup: a word of a word2vec run's vocabulary in, its vector out (the {@code embedding}
 * form: {@code ids [batch]} to {@code vectors [batch, D]}).
 */
public final class EmbeddingTranslator extends TaskTranslator<String, float[]> {

  /** Ids below this are the special tokens ({@code <pad>}, {@code <unk>}, {@code <bos>}, {@code <eos>}). */
  static final int FIRST_WORD = 4;

  private final VocabularyFile vocabulary;

  EmbeddingTranslator(TensorTranslator tensors, VocabularyFile vocabulary) {
    super(tensors);
    this.vocabulary = vocabulary;
  }

  @Override
  public Map<String, Tensor> encode(String word) {
    if (word == null || !vocabulary.source().contains(word) || vocabulary.source().id(word) < FIRST_WORD) {
      throw new InvalidInputException(Problem.OUT_OF_RANGE, "ids", "'" + word + "' is not in the vocabulary of "
          + (vocabulary.source().size() - FIRST_WORD) + " words");
    }
    return Map.of("ids", LongTensor.of(new long[] {vocabulary.source().id(word)}, 1));
  }

  @Override
  public float[] decode(String word, Map<String, FloatTensor> outputs) {
    return outputs.get("vectors").data().clone();
  }
}
