package dev.rnnx.pipeline;

import dev.rnnx.data.BatchOrder;
import dev.rnnx.data.Corpus;
import dev.rnnx.data.LabeledText;
import dev.rnnx.data.ParallelText;
import dev.rnnx.data.SeriesWindows;
import dev.rnnx.data.TaggedText;
import dev.rnnx.data.TaskData;
import dev.rnnx.data.TextCorpus;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.spec.ArraysTask;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.CsvSeriesTask;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.LabeledTextTask;
import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.TaggedTextTask;
import dev.rnnx.spec.TextCorpusTask;
import dev.rnnx.spec.TranslationTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The data a recipe trains on, whatever the model kind: a {@code data.Split} of generated or read
 * series or sequences (sequential), a {@link TranslationSplit} (seq2seq) or a {@link Corpus}
 * (word2vec), with the vocabulary file the run folder keeps for the token models.
 *
 * <p>For a series read from a file ({@link CsvSeriesTask}), {@link #recipe()} is the recipe with
 * its normalisation layers fitted on the training rows ({@link SeriesWindows#fitted}). That recipe
 * is the one trained, exported and recorded.
 *
 * @param recipe the recipe to train (fitted constants filled in)
 * @param data what {@code tf.Trainer.train} takes for the recipe's model kind
 * @param vocabulary the vocabularies of a token model (a text classifier or tagger included), or {@code null}
 * @param series the windows of a series read from a file, or {@code null}
 * @param textStatistics what a text source read and left out; empty otherwise
 */
record RunData(Recipe recipe, Object data, VocabularyFile vocabulary, SeriesWindows series, Map<String, Object> textStatistics) {

  RunData(Recipe recipe, Object data, VocabularyFile vocabulary, SeriesWindows series) {
    this(recipe, data, vocabulary, series, Map.of());
  }

  /** Generates or reads the recipe's data with its seed. */
  static RunData of(Recipe recipe) {
    if (recipe.data() instanceof ParallelTextTask task) {
      ParallelText text = ParallelText.read(task);
      TranslationSplit split = text.split();
      String tokenization = task.sourceTokenizer() == ParallelTextTask.Tokenizer.CHAR ? VocabularyFile.CHARACTERS : VocabularyFile.WORDS;
      VocabularyFile tables = new VocabularyFile(tokenization, split.sourceVocabulary(), split.targetVocabulary())
          .withTokenizers(text.sourceTokenizer(), text.targetTokenizer());
      Map<String, Object> statistics = new LinkedHashMap<>(text.statistics());
      int[] sources = split.train().sourceLengths().toIntArray();
      int[] targets = split.train().targetLengths().toIntArray();
      statistics.put("batching", batching(task.bucketed(), sources, targets, BatchOrder.pairKeys(sources, targets), recipe));
      return new RunData(recipe, split, VocabularyFile.CHARACTERS.equals(tokenization)
          ? tables.withSourceWords(split.train().sourceText()) : tables, null, statistics);
    }
    if (recipe.data() instanceof TranslationTask task) {
      TranslationSplit split = TaskData.translation(task, recipe.seed());
      String tokenization = task instanceof DatesTask ? VocabularyFile.CHARACTERS : VocabularyFile.WORDS;
      VocabularyFile tables = new VocabularyFile(tokenization, split.sourceVocabulary(), split.targetVocabulary());
      // a character vocabulary cannot flag unseen words: keep the training sources' words for that
      return new RunData(recipe, split, VocabularyFile.CHARACTERS.equals(tokenization)
          ? tables.withSourceWords(split.train().sourceText()) : tables, null);
    }
    if (recipe.data() instanceof TextCorpusTask task) {
      TextCorpus text = TextCorpus.read(task, recipe.seed());
      Vocabulary words = text.corpus().vocabulary();
      return new RunData(recipe, text.corpus(), new VocabularyFile(VocabularyFile.WORDS, words, words)
          .withTokenizers(text.tokenizer(), text.tokenizer()), null, text.statistics());
    }
    if (recipe.data() instanceof CorpusTask task) {
      Corpus corpus = TaskData.corpus(task, recipe.seed());
      return new RunData(recipe, corpus, new VocabularyFile(VocabularyFile.WORDS, corpus.vocabulary(), corpus.vocabulary()), null);
    }
    if (recipe.data() instanceof LabeledTextTask task) {
      LabeledText text = LabeledText.read(task);
      int[] lengths = text.split().train().lengths().toIntArray();
      Map<String, Object> statistics = new LinkedHashMap<>(text.statistics());
      statistics.put("batching", batching(task.bucketed(), lengths, new int[lengths.length], lengths, recipe));
      VocabularyFile tables = new VocabularyFile(VocabularyFile.WORDS, text.vocabulary(), text.vocabulary())
          .withTokenizers(text.tokenizer(), text.tokenizer());
      return new RunData(recipe, text.split(), tables, null, statistics);
    }
    if (recipe.data() instanceof TaggedTextTask task) {
      TaggedText text = TaggedText.read(task);
      int[] lengths = text.split().train().lengths().toIntArray();
      Map<String, Object> statistics = new LinkedHashMap<>(text.statistics());
      statistics.put("batching", batching(task.bucketed(), lengths, new int[lengths.length], lengths, recipe));
      return new RunData(recipe, text.split(), text.vocabularyFile(), null, statistics);
    }
    if (recipe.data() instanceof ArraysTask) {
      return GraphArrays.read(recipe);
    }
    if (recipe.data() instanceof CsvSeriesTask task) {
      SeriesWindows series = SeriesWindows.read(task);
      return new RunData(series.fitted(recipe), series.split(), null, series);
    }
    return new RunData(recipe, TaskData.generate(recipe.data(), recipe.seed()), null, null);
  }

  /**
   * How training batches its pairs (or texts: no targets), and the padding each way: the share of
   * padding when every batch is padded to its own longest source and target, over one epoch's order drawn with the recipe
   * seed, plainly shuffled and bucketed ({@link BatchOrder}).
   */
  private static Map<String, Object> batching(boolean bucketed, int[] sources, int[] targets, int[] lengths, Recipe recipe) {
    int batch = Math.min(recipe.training().batchSize(), lengths.length);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("order", bucketed ? "bucketed" : "shuffled");
    m.put("batch_size", batch);
    m.put("padding_fraction_shuffled", BatchOrder.paddingFraction(BatchOrder.shuffled(lengths.length, new Random(recipe.seed())),
        batch, sources, targets));
    m.put("padding_fraction_bucketed", BatchOrder.paddingFraction(BatchOrder.bucketed(lengths, batch, new Random(recipe.seed())),
        batch, sources, targets));
    return m;
  }

  /** What was read and left out, for report.json's {@code data}; empty for generated data. */
  Map<String, Object> statistics() {
    return series == null ? textStatistics : series.statistics();
  }

  /** Writes {@code vocabulary.json} into the run folder, for the token models. */
  void writeVocabulary(Path dir) throws IOException {
    if (vocabulary != null) {
      vocabulary.write(dir);
    }
  }
}
