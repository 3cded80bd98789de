package dev.rnnx.verify;

import dev.rnnx.djl.DjlModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model file on one of DJL's engines: {@code djl-ort} (an ONNX file on the OnnxRuntime engine)
 * or {@code djl-tf} (a SavedModel on the TensorFlow engine).
 */
public final class DjlBackend implements Backend {

  /** Report name of an ONNX model on DJL's OnnxRuntime engine. */
  public static final String ORT = "djl-ort";
  /** Report name of a SavedModel on DJL's TensorFlow engine. */
  public static final String TF = "djl-tf";

  private final String name;
  private final DjlModel model;

  private DjlBackend(String name, DjlModel model) {
    this.name = name;
    this.model = model;
  }

  /** Loads an ONNX file on DJL's OnnxRuntime engine. */
  public static DjlBackend onnx(Path onnxFile) {
    return new DjlBackend(ORT, DjlModel.loadOnnx(onnxFile));
  }

  /** Loads a SavedModel folder on DJL's TensorFlow engine. */
  public static DjlBackend savedModel(Path dir) {
    return new DjlBackend(TF, DjlModel.loadSavedModel(dir));
  }

  /** Loads an rnnx ONNX file, checking its inputs against the model and every call's inputs with {@code ModelInputs}. */
  public static DjlBackend onnx(Path onnxFile, Sequential spec) {
    return new DjlBackend(ORT, DjlModel.loadOnnx(onnxFile, spec));
  }

  /** Loads an rnnx SavedModel, checking its inputs against the model and every call's inputs with {@code ModelInputs}. */
  public static DjlBackend savedModel(Path dir, Sequential spec) {
    return new DjlBackend(TF, DjlModel.loadSavedModel(dir, spec));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return model.run(inputs);
  }

  @Override
  public void close() {
    model.close();
  }
}
