package dev.rnnx.serve;

import dev.rnnx.data.Corpus;
import dev.rnnx.data.TaskData;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run folders of a seq2seq and a word2vec model as {@code rnnx run} leaves them (recipe in
 * {@code weights.safetensors}, {@code vocabulary.json}, one {@code <form>.onnx} per form), with
 * seeded initial weights instead of training: the server's text endpoints need the layout and real
 * numbers, not a good model.
 */
final class TokenRuns {

  static final String DATES = """
      name: tiny-dates
      seed: 3
      model:
        type: seq2seq
        source_vocabulary: 45
        target_vocabulary: 15
        embedding_dim: 8
        max_source_length: 40
        max_target_length: 11
        encoder: {type: rnn, cell: gru, units: 8}
        decoder: {type: rnn, cell: gru, units: 8}
      data: {task: dates, samples: 50}
      training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 32}
      """;

  static final String WORD2VEC = """
      name: tiny-w2v
      seed: 5
      model: {type: word2vec, vocabulary: 62, dimension: 8, architecture: skip_gram, window: 2,
              objective: negative_sampling, negatives: 3}
      data: {task: grammar_corpus, sentences: 100}
      training: {loss: binary_crossentropy, optimizer: adam, learning_rate: 0.02, epochs: 1, batch_size: 128}
      """;

  private TokenRuns() {}

  /** A run folder for a seq2seq or word2vec recipe given as YAML. */
  static Path of(Path dir, String yaml) throws IOException {
    Recipe recipe = RecipeCodec.parse(yaml, "test recipe");
    Files.createDirectories(dir);
    VocabularyFile vocabulary;
    if (recipe.data() instanceof DatesTask task) {
      TranslationSplit split = TaskData.translation(task, recipe.seed());
      vocabulary = new VocabularyFile(VocabularyFile.CHARACTERS, split.sourceVocabulary(), split.targetVocabulary());
    } else {
      Corpus corpus = TaskData.corpus((CorpusTask) recipe.data(), recipe.seed());
      vocabulary = new VocabularyFile(VocabularyFile.WORDS, corpus.vocabulary(), corpus.vocabulary());
    }
    vocabulary.write(dir);
    Weights weights = InitialWeights.generate(recipe.model(), recipe.seed());
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(), Map.of(), Map.of());
    Safetensors.write(dir.resolve("weights.safetensors"), weights, provenance.toMetadata());
    OnnxExporter.write(OnnxExporter.export(recipe.model(), weights, provenance), dir);
    return dir;
  }
}
