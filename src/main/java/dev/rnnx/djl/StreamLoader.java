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

/**
 * Loads the {@code stream} form of a run folder for {@link RnnxModel#openStream()}: on ONNX Runtime
 * from {@value #ONNX_FILE} when the run has one, else exported from its weights on the spot
 * ({@link StreamExport}); on TensorFlow from the SavedModel {@value #SAVED_MODEL}/ (written by
 * {@code tf.TfStreamForm}). Its runner pads and merges the chunks of concurrent sessions through
 * the dynamic batcher.
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
    DjlModel djl = DjlModel.ONNX_RUNTIME.equals(engine) ? onnx(dir, recipe, model, stream, weightsFile) : savedModel(dir, stream);
    BatchingOptions merging = batching != null ? batching : BatchingOptions.DEFAULTS;
    FormRunner runner;
    try {
      // no batcher of its own: StreamBatcher merges the chunks, one predictor for each of its workers
      runner = new FormRunner(StreamForm.NAME, djl, null, Math.max(poolSize, merging.workers()), null);
    } catch (RuntimeException e) {
      djl.close();
      throw e;
    }
    try {
      if (warmUp) {
        runner.warmUp(1);
      }
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
    return StreamSessions.overRunner(stream, fingerprint(stream, weightsFile), options, runner, merging);
  }

  private DjlModel onnx(Path dir, Recipe recipe, Sequential model, StreamForm stream, Path weightsFile) {
    Path file = dir.resolve(ONNX_FILE);
    if (Files.isRegularFile(file)) {
      return DjlModel.loadOnnxForm(file, stream.form(), ortOptions);
    }
    Path tmp = null;
    try {
      Safetensors.Contents contents = Safetensors.read(weightsFile);
      tmp = Files.createTempFile("rnnx-stream-", ".onnx");
      OnnxExporter.write(StreamExport.export(model, contents.weights(), recipe.export().opset(),
          Provenance.fromMetadata(contents.metadata())), tmp);
      return DjlModel.loadOnnxForm(tmp, stream.form(), ortOptions);
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
