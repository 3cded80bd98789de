package dev.rnnx.verify;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;

/**
 * What a backend is to run: its kind and its artifact (an ONNX file, a SavedModel folder with a
 * signature) or, for the kinds that run weights ({@code ref}, {@code tf-java}), the rnnx model, its
 * weights and the form. A spec with an artifact alone travels to a child process
 * ({@link ProcessBackend}) as command-line arguments.
 *
 * @param kind the backend kind
 * @param onnx the ONNX file, for the kinds that run one, else {@code null}
 * @param savedModel the SavedModel folder, for the kinds that run one, else {@code null}
 * @param signature the SavedModel signature, {@value #DEFAULT_SIGNATURE} unless told otherwise
 * @param model the rnnx model the artifact was exported from (its inputs are then checked against
 *     it), or {@code null} for an artifact from elsewhere
 * @param form the model's form, {@code model} for a sequential model or an artifact from elsewhere
 * @param weights the model's weights, for the kinds that run weights, else {@code null}
 */
public record BackendSpec(BackendKind kind, Path onnx, Path savedModel, String signature, ModelSpec model, String form,
    Weights weights) {

  /** The SavedModel signature used unless told otherwise. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  /**
   * Checks that the kind has what it runs.
   *
   * @throws IllegalArgumentException for a missing artifact, naming the option that gives it
   */
  public BackendSpec {
    signature = signature == null ? DEFAULT_SIGNATURE : signature;
    form = form == null ? ModelForm.MODEL : form;
    switch (kind.runs()) {
      case ONNX -> {
        if (onnx == null) {
          throw new IllegalArgumentException("backend " + kind + " runs an ONNX file, but none was given (--onnx)");
        }
      }
      case SAVED_MODEL -> {
        if (savedModel == null) {
          throw new IllegalArgumentException("backend " + kind + " runs a SavedModel, but none was given (--saved-model)");
        }
      }
      case WEIGHTS -> {
        if (model == null || weights == null) {
          throw new IllegalArgumentException("backend " + kind + " runs an rnnx model's weights: give a run folder");
        }
      }
    }
  }

  /** A spec for an ONNX file from elsewhere. */
  public static BackendSpec onnx(BackendKind kind, Path onnx) {
    return new BackendSpec(kind, onnx, null, null, null, null, null);
  }

  /** A spec for a SavedModel from elsewhere. */
  public static BackendSpec savedModel(BackendKind kind, Path savedModel, String signature) {
    return new BackendSpec(kind, null, savedModel, signature, null, null, null);
  }

  /** The backend's report name, the kind's id. */
  public String name() {
    return kind.id();
  }

  /** The same backend on another ONNX file (of the same inputs). */
  public BackendSpec withOnnx(Path other) {
    return new BackendSpec(kind, other, savedModel, signature, model, form, weights);
  }

  /** The spec as command-line arguments of a {@link BackendWorker}: only the kind and the artifact travel. */
  String[] toArgs() {
    if (kind.runs() == BackendKind.Runs.WEIGHTS) {
      throw new IllegalStateException("backend " + kind + " runs weights, which do not travel to a child process");
    }
    return new String[] {kind.id(), onnx == null ? "-" : onnx.toAbsolutePath().toString(),
        savedModel == null ? "-" : savedModel.toAbsolutePath().toString(), signature};
  }

  /** The spec from {@link #toArgs()}. */
  static BackendSpec fromArgs(String[] args, int from) {
    return new BackendSpec(BackendKind.parse(args[from]), args[from + 1].equals("-") ? null : Path.of(args[from + 1]),
        args[from + 2].equals("-") ? null : Path.of(args[from + 2]), args[from + 3], null, null, null);
  }
}
