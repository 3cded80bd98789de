package dev.rnnx.djl;

import dev.rnnx.data.TaskData;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.tf.TfForms;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run folders of seq2seq models on the dates task as {@code rnnx run} leaves them (recipe in
 * {@code weights.safetensors}, {@code vocabulary.json}, one {@code <form>.onnx} per form, and the
 * SavedModels when asked), with seeded initial weights sharpened so that each step's
 * log-probabilities are far apart (the output layer's kernel scaled, EOS made likelier): decoding
 * then ends, and float rounding cannot flip a choice.
 */
public final class Seq2SeqRuns {

  /** A dates recipe whose encoder and decoder lines are {@code ENCODER} and {@code DECODER}. */
  static final String DATES = """
      name: NAME
      seed: 3
      model:
        type: seq2seq
        source_vocabulary: 45
        target_vocabulary: 15
        embedding_dim: 8
        max_source_length: 40
        max_target_length: 11
        encoder: ENCODER
        decoder: DECODER
      data: {task: dates, samples: 50}
      training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 32}
      """;

  private Seq2SeqRuns() {}

  /** A dates recipe named {@code name} with these encoder and decoder (YAML flow maps). */
  public static String dates(String name, String encoder, String decoder) {
    return DATES.replace("NAME", name).replace("ENCODER", encoder).replace("DECODER", decoder);
  }

  /** A run folder for a dates recipe given as YAML, with its SavedModels when {@code savedModels}. */
  public static Path of(Path dir, String yaml, boolean savedModels) throws IOException {
    Recipe recipe = RecipeCodec.parse(yaml, "test recipe");
    Files.createDirectories(dir);
    TranslationSplit split = TaskData.translation((DatesTask) recipe.data(), recipe.seed());
    new VocabularyFile(VocabularyFile.CHARACTERS, split.sourceVocabulary(), split.targetVocabulary()).write(dir);
    Map<String, FloatTensor> t = new LinkedHashMap<>(InitialWeights.generate(recipe.model(), recipe.seed()).tensors());
    FloatTensor kernel = t.get("output/kernel");
    float[] k = kernel.data().clone();
    for (int i = 0; i < k.length; i++) {
      k[i] *= 4;
    }
    t.put("output/kernel", new FloatTensor(kernel.shape(), k));
    float[] bias = t.get("output/bias").data().clone();
    bias[SpecialTokens.EOS] += 1.5f;
    t.put("output/bias", new FloatTensor(t.get("output/bias").shape(), bias));
    Weights weights = new Weights(t);
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(), Map.of(), Map.of());
    Safetensors.write(dir.resolve("weights.safetensors"), weights, provenance.toMetadata());
    OnnxExporter.write(OnnxExporter.export(recipe.model(), weights, provenance), dir);
    if (savedModels) {
      try (TfForms forms = TfForms.build(recipe.model(), weights)) {
        forms.exportSavedModels(dir.resolve("saved_model"), provenance);
      }
    }
    return dir;
  }
}
