package dev.rnnx.djl;

import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.onnx.StreamExport;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import dev.rnnx.spec.Tensor;

/**
 * Loads the {@code stream} form of a run folder for {@link RnnxModel#openStream()}: on ONNX Runtime
 * from {@value #ONNX_FILE} when the run has one, else exported from its weights on the spot
 * ({@link StreamExport}); on TensorFlow from the SavedModel {@value #SAVED_MODEL}/ (written by
 * {@code tf.TfStreamForm}). A {@link StreamBatcher} pads and merges the chunks of concurrent sessions
 * into one call of the form.
 *
 * @param options what the model was loaded with
 */
record StreamLoader(OrtOptions ortOptions, int poolSize, BatchingOptions batching, boolean warmUp, StreamOptions options) {

  /** The stream form's ONNX file in a run folder. */
  static final String ONNX_FILE = "stream.onnx";
  /** The stream form's SavedModel folder in a run folder. */
  static final String SAVED_MODEL = "saved_model_stream";

  /**
   * The sessions of a run folder's model on an engine.
   *
   * @throws IllegalArgumentException when the model cannot stream (with the reason) or its stream form cannot load
   */
  StreamSessions load(Path dir, Recipe recipe, String engine) {
    if (recipe == null || !(recipe.model() instanceof Sequential model)) {
      throw new IllegalArgumentException(recipe == null
          ? dir + " is a bare artifact; streaming needs a run folder (its recipe says which layers carry state)"
          : "model '" + recipe.model().name() + "' cannot stream: it is a " + recipe.model().kind()
              + " model; only a sequential model of forward recurrent and per-step layers streams");
    }
    StreamForm stream = StreamForm.of(model);
    Path weightsFile = dir.resolve("weights.safetensors");
    BatchingOptions merging = batching != null ? batching : BatchingOptions.DEFAULTS;
    StreamBatcher batcher;
    if (DjlModel.ONNX_RUNTIME.equals(engine)) {
      OrtBackend ort = onnx(dir, recipe, model, stream, weightsFile);
      batcher = new StreamBatcher(stream, ort::run, ort, merging);
    } else {
      FormRunner runner = new FormRunner(StreamForm.NAME, savedModel(dir, stream), null, Math.max(poolSize, merging.workers()), null);
      try {
        if (warmUp) {
          runner.warmUp(1);
        }
      } catch (RuntimeException e) {
        runner.close();
        throw e;
      }
      batcher = new StreamBatcher(stream, runner::run, runner, merging);
    }
    return StreamSessions.overBatcher(stream, fingerprint(stream, weightsFile), options, batcher);
  }

  /**
   * The stream form on ONNX Runtime's own session ({@link OrtBackend}: one engine call per batch
   * without DJL's per-call arrays, which cost more than the call itself on a model this small),
   * opened after DJL has loaded the same file (which starts DJL's engine, the process's ORT
   * environment, and checks the file's inputs against the form).
   */
  private OrtBackend onnx(Path dir, Recipe recipe, Sequential model, StreamForm stream, Path weightsFile) {
    Path file = dir.resolve(ONNX_FILE);
    if (Files.isRegularFile(file)) {
      return open(file, stream);
    }
    Path tmp = null;
    try {
      Safetensors.Contents contents = Safetensors.read(weightsFile);
      tmp = Files.createTempFile("rnnx-stream-", ".onnx");
      OnnxExporter.write(StreamExport.export(model, contents.weights(), recipe.export().opset(),
          Provenance.fromMetadata(contents.metadata())), tmp);
      return open(tmp, stream);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the stream form of " + dir + " to a temporary file: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temporary file left behind
        }
      }
    }
  }

  private OrtBackend open(Path file, StreamForm stream) {
    try (DjlModel djl = DjlModel.loadOnnxForm(file, stream.form(), ortOptions)) {
      OrtBackend ort = new OrtBackend(file, ortOptions);
      try {
        Map<String, Tensor> request = warmUp ? FormRunner.warmUpRequest(djl.declaredInputs(), "model " + file, 1) : null;
        if (request != null) {
          ort.run(request);
        }
      } catch (RuntimeException e) {
        ort.close();
        throw e;
      }
      return ort;
    }
  }

  private static DjlModel savedModel(Path dir, StreamForm stream) {
    Path saved = dir.resolve(SAVED_MODEL);
    if (!Files.isDirectory(saved)) {
      throw new IllegalArgumentException(dir + " has no " + SAVED_MODEL + "/ (the stream form's SavedModel, written by"
          + " tf.TfStreamForm); serve the stream on OnnxRuntime, which exports it from the weights");
    }
    return DjlModel.loadSavedModelForm(saved, stream.form());
  }

  /** SHA-256 of the stream form and the weights file: equal for the same model and weights only. */
  static String fingerprint(StreamForm stream, Path weightsFile) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(stream.form().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update(stream.layers().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update(Files.readAllBytes(weightsFile));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(weightsFile + ": could not read the weights to fingerprint the model: " + e.getMessage(), e);
    }
  }
}
