package dev.rnnx.pipeline;

import dev.rnnx.data.Corpus;
import dev.rnnx.data.TaskData;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.TranslationTask;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The data a recipe trains on, whatever the model kind: a {@code data.Split} of generated series
 * or sequences (sequential), a {@link TranslationSplit} (seq2seq) or a {@link Corpus} (word2vec),
 * with the vocabulary file the run folder keeps for the token models.
 *
 * @param data what {@code tf.Trainer.train} takes for the recipe's model kind
 * @param vocabulary the vocabularies of a token model, or {@code null} for a sequential model
 */
record RunData(Object data, VocabularyFile vocabulary) {

  /** Generates the recipe's data with its seed. */
  static RunData of(Recipe recipe) {
    if (recipe.data() instanceof TranslationTask task) {
      TranslationSplit split = TaskData.translation(task, recipe.seed());
      String tokenization = task instanceof DatesTask ? VocabularyFile.CHARACTERS : VocabularyFile.WORDS;
      VocabularyFile tables = new VocabularyFile(tokenization, split.sourceVocabulary(), split.targetVocabulary());
      // a character vocabulary cannot flag unseen words: keep the training sources' words for that
      return new RunData(split, VocabularyFile.CHARACTERS.equals(tokenization)
          ? tables.withSourceWords(split.train().sourceText()) : tables);
    }
    if (recipe.data() instanceof CorpusTask task) {
      Corpus corpus = TaskData.corpus(task, recipe.seed());
      return new RunData(corpus, new VocabularyFile(VocabularyFile.WORDS, corpus.vocabulary(), corpus.vocabulary()));
    }
    return new RunData(TaskData.generate(recipe.data(), recipe.seed()), null);
  }

  /** Writes {@code vocabulary.json} into the run folder, for the token models. */
  void writeVocabulary(Path dir) throws IOException {
    if (vocabulary != null) {
      vocabulary.write(dir);
    }
  }
}
