package dev.rnnx.djl;

import dev.rnnx.data.VocabularyFile;
import dev.rnnx.spec.BudgetException;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link RnnxModel.Builder#build()} does: resolves a path to an artifact (a {@code .onnx}
 * file, a SavedModel folder or a run folder), picks the engine, loads each served form on it with
 * its pool of predictors, and warms them up.
 */
final class ArtifactLoader {

  private final OrtOptions ortOptions;
  private final int poolSize;
  private final BatchingOptions batching;
  private final boolean warmUp;

  /** Validated options of a {@link RnnxModel.Builder}. */
  ArtifactLoader(OrtOptions ortOptions, int poolSize, BatchingOptions batching, boolean warmUp) {
    this.ortOptions = ortOptions;
    this.poolSize = poolSize;
    this.batching = batching;
    this.warmUp = warmUp;
  }

  /**
   * Loads {@code path} on {@code engine} ({@code null}: the artifact's own).
   *
   * @throws IllegalArgumentException for a path that is no artifact, or an artifact the engine refuses
   */
  RnnxModel load(Path path, String engine) {
    String chosen = engine == null ? null : engineName(engine);
    if (path.getFileName() != null && path.getFileName().toString().endsWith(".onnx") || Files.isRegularFile(path)) {
      return single(requireEngine(chosen, DjlModel.ONNX_RUNTIME), path);
    }
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(path + " does not exist; expected a .onnx file, a SavedModel folder or a run folder of 'rnnx run'");
    }
    if (Files.exists(path.resolve("weights.safetensors"))) {
      return run(RunFolder.open(path), chosen);
    }
    if (Files.exists(path.resolve("saved_model.pb"))) {
      return single(requireEngine(chosen, DjlModel.TENSORFLOW), path);
    }
    throw new IllegalArgumentException(path + " is neither a SavedModel folder (no saved_model.pb) nor a run folder"
        + " (no weights.safetensors)");
  }

  /** DJL's engine name for {@code OnnxRuntime}/{@code onnx}/{@code ort} or {@code TensorFlow}/{@code tf}. */
  static String engineName(String engine) {
    String e = engine.toLowerCase(Locale.ROOT);
    return switch (e) {
      case "onnxruntime", "onnx", "ort" -> DjlModel.ONNX_RUNTIME;
      case "tensorflow", "tf" -> DjlModel.TENSORFLOW;
      default -> throw new IllegalArgumentException("unknown engine '" + engine + "', expected OnnxRuntime or TensorFlow");
    };
  }

  private static String requireEngine(String chosen, String only) {
    if (chosen != null && !chosen.equals(only)) {
      throw new IllegalArgumentException("engine " + chosen + " cannot load this artifact; it needs " + only);
    }
    return only;
  }

  private RnnxModel single(String engineName, Path artifact) {
    DjlModel model = DjlModel.ONNX_RUNTIME.equals(engineName)
        ? DjlModel.loadOnnx(artifact, null, ortOptions)
        : DjlModel.loadSavedModel(artifact);
    Map<String, FormRunner> runners = new LinkedHashMap<>();
    runners.put(ModelForm.MODEL, runner(ModelForm.MODEL, model, Batches.EXACT));
    return new RnnxModel(artifact, engineName, null, null, runners);
  }

  private RnnxModel run(RunFolder folder, String chosen) {
    Path dir = folder.dir();
    Recipe recipe = folder.recipe();
    List<String> forms = servedForms(folder);
    String engineName = chosen != null ? chosen
        : Files.exists(folder.onnxFile(forms.get(0))) ? DjlModel.ONNX_RUNTIME : DjlModel.TENSORFLOW;
    // a sequential model has tables when it was trained on text (labeled-text, tagged-text)
    VocabularyFile vocabulary = (recipe.model() instanceof Sequential || recipe.model() instanceof dev.rnnx.spec.Graph)
        && !Files.exists(dir.resolve(VocabularyFile.NAME)) ? null
        : VocabularyFile.read(dir);
    forms = withCachedForms(folder, forms, engineName);
    Map<String, FormRunner> runners = new LinkedHashMap<>();
    try {
      for (String form : forms) {
        Sequential spec = recipe.model() instanceof Sequential s ? s : null;
        DjlModel model = DjlModel.ONNX_RUNTIME.equals(engineName)
            ? DjlModel.loadOnnxForm(folder.onnxFile(form), recipe.model().form(form), ortOptions)
            : DjlModel.loadSavedModelForm(folder.savedModel(form), recipe.model().form(form));
        // a sequential model's batch pads time where it reads lengths; word2vec's ids are one
        // row per request; seq2seq's forms and most_similar (whose k is shared) are not merged
        Batches batches = spec != null ? Batches.of(spec) : ModelForm.EMBEDDING.equals(form) ? Batches.EXACT : null;
        runners.put(form, runner(form, model, batches));
      }
    } catch (RuntimeException e) {
      runners.values().forEach(FormRunner::close);
      throw e;
    }
    return new RnnxModel(dir, engineName, recipe, vocabulary, runners);
  }

  /** The forms a run serves, the main one first. */
  private static List<String> servedForms(RunFolder folder) {
    if (folder.model() instanceof Sequential || folder.model() instanceof dev.rnnx.spec.Graph) {
      return List.of(ModelForm.MODEL);
    } else if (folder.model() instanceof Seq2Seq) {
      return List.of(ModelForm.ENCODER, ModelForm.DECODER_STEP);
    } else if (folder.model() instanceof Word2Vec) {
      return List.of(ModelForm.EMBEDDING, ModelForm.MOST_SIMILAR);
    }
    throw new IllegalArgumentException(folder.dir() + " holds a " + folder.model().kind() + " model, which rnnx cannot serve");
  }

  /** A seq2seq run's forms, plus the key-value cache forms when the run has both for the engine. */
  private static List<String> withCachedForms(RunFolder folder, List<String> forms, String engineName) {
    List<String> cached = List.of(ModelForm.DECODER_CROSS_CACHE, ModelForm.DECODER_STEP_CACHED);
    if (!(folder.model() instanceof Seq2Seq)
        || !cached.stream().allMatch(f -> Files.exists(DjlModel.ONNX_RUNTIME.equals(engineName) ? folder.onnxFile(f) : folder.savedModel(f)))) {
      return forms;
    }
    List<String> all = new java.util.ArrayList<>(forms);
    all.addAll(cached);
    return all;
  }

  /** A form's runner, warmed up; closes {@code model} when that fails. */
  private FormRunner runner(String form, DjlModel model, Batches batches) {
    FormRunner r;
    try {
      r = new FormRunner(form, model, batches, poolSize, batches == null ? null : batching);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    if (warmUp) {
      try {
        r.warmUp(batching == null ? 1 : batching.maxBatchSize());
      } catch (BudgetException e) {
        r.close();
        throw e;
      } catch (RuntimeException e) {
        r.close();
        throw new IllegalStateException("warm-up of form '" + form + "' of " + model.source() + " failed: " + e.getMessage(), e);
      }
    }
    return r;
  }
}
