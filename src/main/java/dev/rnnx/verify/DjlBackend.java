package dev.rnnx.verify;

import dev.rnnx.djl.DjlModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model file on one of DJL's engines: {@code djl-ort} (an ONNX file on the OnnxRuntime engine,
 * at ONNX Runtime's default graph optimisation level, {@code ALL}), {@code djl-ort-basic} and
 * {@code djl-ort-disabled} (the same at lower levels, see {@link OrtOptLevel}), or {@code djl-tf}
 * (a SavedModel on the TensorFlow engine).
 */
public final class DjlBackend implements OnnxFileBackend {

  /** Report name of an ONNX model on DJL's OnnxRuntime engine. */
  public static final String ORT = "djl-ort";
  /** Report name of a SavedModel on DJL's TensorFlow engine. */
  public static final String TF = "djl-tf";

  private final String name;
  private final DjlModel model;
  private final Path file;
  private final OrtOptLevel level;

  private DjlBackend(String name, DjlModel model, Path file, OrtOptLevel level) {
    this.name = name;
    this.model = model;
    this.file = file;
    this.level = level;
  }

  /** Loads an ONNX file on DJL's OnnxRuntime engine. */
  public static DjlBackend onnx(Path onnxFile) {
    return onnx(onnxFile, null, OrtOptLevel.ALL);
  }

  /** Loads a SavedModel folder on DJL's TensorFlow engine. */
  public static DjlBackend savedModel(Path dir) {
    return new DjlBackend(TF, DjlModel.loadSavedModel(dir), null, null);
  }

  /** Loads an rnnx ONNX file, checking its inputs against the model and every call's inputs with the model's {@code InputContract}. */
  public static DjlBackend onnx(Path onnxFile, Sequential spec) {
    return onnx(onnxFile, spec, OrtOptLevel.ALL);
  }

  /**
   * Loads an ONNX file at an ONNX Runtime graph optimisation level; the backend is named
   * {@code djl-ort}, {@code djl-ort-basic} or {@code djl-ort-disabled}.
   *
   * @param spec the rnnx model the file was exported from, or {@code null} for any ONNX file
   */
  public static DjlBackend onnx(Path onnxFile, Sequential spec, OrtOptLevel level) {
    Map<String, String> options = level == OrtOptLevel.ALL ? Map.of() : Map.of("optLevel", level.djlName());
    return new DjlBackend(ORT + level.suffix(), DjlModel.loadOnnx(onnxFile, spec, options), onnxFile, level);
  }

  /** Loads an rnnx SavedModel, checking its inputs against the model and every call's inputs with the model's {@code InputContract}. */
  public static DjlBackend savedModel(Path dir, Sequential spec) {
    return new DjlBackend(TF, DjlModel.loadSavedModel(dir, spec), null, null);
  }

  /** Loads a SavedModel's named signature (tag {@code serve}). */
  public static DjlBackend savedModel(Path dir, Sequential spec, String signature) {
    return new DjlBackend(TF, DjlModel.loadSavedModel(dir, spec, signature), null, null);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return model.run(inputs);
  }

  /**
   * {@inheritDoc}
   *
   * @throws UnsupportedOperationException for {@code djl-tf}, which runs a SavedModel
   */
  @Override
  public Path onnxFile() {
    if (file == null) {
      throw new UnsupportedOperationException(name + " runs a SavedModel, not an ONNX file");
    }
    return file;
  }

  @Override
  public boolean hasOnnxFile() {
    return file != null;
  }

  @Override
  public Backend reopen(Path otherOnnx) {
    onnxFile();
    return onnx(otherOnnx, null, level);
  }

  @Override
  public void close() {
    model.close();
  }
}
