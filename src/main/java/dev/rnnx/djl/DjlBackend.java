package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Tensor;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.OnnxFileBackend;
import dev.rnnx.verify.OrtOptLevel;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model file on one of DJL's engines: {@code djl-ort} (an ONNX file on the OnnxRuntime engine,
 * at ONNX Runtime's default graph optimisation level, {@code ALL}), {@code djl-ort-basic} and
 * {@code djl-ort-disabled} (the same at lower levels, {@link BackendKind#ortLevel()}), or
 * {@code djl-tf} (a SavedModel on the TensorFlow engine).
 */
public final class DjlBackend implements OnnxFileBackend {

  private final BackendKind kind;
  private final DjlModel model;
  private final Path file;

  private DjlBackend(BackendKind kind, DjlModel model, Path file) {
    this.kind = kind;
    this.model = model;
    this.file = file;
  }

  /** Loads an ONNX file on DJL's OnnxRuntime engine ({@code djl-ort}). */
  public static DjlBackend onnx(Path onnxFile) {
    return onnx(onnxFile, null, BackendKind.DJL_ORT);
  }

  /** Loads a SavedModel folder on DJL's TensorFlow engine. */
  public static DjlBackend savedModel(Path dir) {
    return new DjlBackend(BackendKind.DJL_TF, DjlModel.loadSavedModel(dir), null);
  }

  /**
   * Loads an ONNX file at the kind's ONNX Runtime graph optimisation level.
   *
   * @param form the rnnx model form the file holds (every call's inputs are then checked against
   *     its contract), or {@code null} for any ONNX file
   * @param kind {@code djl-ort}, {@code djl-ort-basic} or {@code djl-ort-disabled}
   */
  public static DjlBackend onnx(Path onnxFile, ModelForm form, BackendKind kind) {
    if (!kind.onDjl() || !kind.runsOnnx()) {
      throw new IllegalArgumentException("backend " + kind + " is not an ONNX file on DJL");
    }
    Map<String, String> options = kind.ortLevel() == OrtOptLevel.ALL ? Map.of() : Map.of("optLevel", kind.ortLevel().djlName());
    return new DjlBackend(kind, DjlModel.loadOnnxForm(onnxFile, form, options), onnxFile);
  }

  /**
   * Loads a SavedModel's named signature (tag {@code serve}) on DJL's TensorFlow engine ({@code djl-tf}).
   *
   * @param form the rnnx model form it holds (every call's inputs are then checked against its
   *     contract), or {@code null} for any SavedModel
   */
  public static DjlBackend savedModel(Path dir, ModelForm form, String signature) {
    return new DjlBackend(BackendKind.DJL_TF, DjlModel.loadSavedModelForm(dir, form, signature), null);
  }

  @Override
  public String name() {
    return kind.id();
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
      throw new UnsupportedOperationException(kind + " runs a SavedModel, not an ONNX file");
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
    return onnx(otherOnnx, null, kind);
  }

  @Override
  public void close() {
    model.close();
  }
}
