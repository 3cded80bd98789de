package dev.rnnx.verify;

import java.nio.file.Path;
import java.util.List;

/**
 * A native or Java backend described by name and artifact, so that it can be opened here or in a
 * child process ({@link ProcessBackend}) alike.
 *
 * <p>Names: {@code djl-ort}, {@code djl-ort-basic}, {@code djl-ort-disabled} (an ONNX file on DJL's
 * OnnxRuntime engine at each graph optimisation level), {@code ort}, {@code ort-basic},
 * {@code ort-disabled} (the same on ONNX Runtime's own Java API), {@code djl-tf} (a SavedModel on
 * DJL's TensorFlow engine), {@code tf-java} (a SavedModel through TensorFlow Java's
 * {@code SavedModelBundle}), {@code ref-onnx} (the pure-Java ONNX evaluator).
 *
 * @param name the backend name, one of {@link #NAMES}
 * @param onnx the ONNX file, for the ONNX backends
 * @param savedModel the SavedModel folder, for the TensorFlow backends
 * @param signature the SavedModel signature, {@code serving_default} unless told otherwise
 */
public record BackendSpec(String name, Path onnx, Path savedModel, String signature) {

  /** Every name a spec can carry. */
  public static final List<String> NAMES = List.of("djl-ort", "djl-ort-basic", "djl-ort-disabled", "ort", "ort-basic",
      "ort-disabled", "djl-tf", "tf-java", "ref-onnx");

  /** The SavedModel signature used unless told otherwise. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  /**
   * Validates the name against the artifact it needs.
   *
   * @throws IllegalArgumentException for an unknown name or a missing artifact
   */
  public BackendSpec {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown backend '" + name + "', expected one of " + NAMES);
    }
    signature = signature == null ? DEFAULT_SIGNATURE : signature;
    if (runsOnnx(name) && onnx == null) {
      throw new IllegalArgumentException("backend " + name + " runs an ONNX file, but none was given (--onnx)");
    }
    if (!runsOnnx(name) && savedModel == null) {
      throw new IllegalArgumentException("backend " + name + " runs a SavedModel, but none was given (--saved-model)");
    }
  }

  /** A spec for an ONNX backend. */
  public static BackendSpec onnx(String name, Path onnx) {
    return new BackendSpec(name, onnx, null, null);
  }

  /** A spec for a SavedModel backend. */
  public static BackendSpec savedModel(String name, Path savedModel, String signature) {
    return new BackendSpec(name, null, savedModel, signature);
  }

  /** Whether a backend name runs an ONNX file (otherwise a SavedModel). */
  public static boolean runsOnnx(String name) {
    return !name.equals("djl-tf") && !name.equals("tf-java");
  }

  /** Whether this backend runs native code (every backend but {@code ref-onnx}). */
  public boolean isNative() {
    return !name.equals(OnnxReferenceBackend.NAME);
  }

  /** The same backend on another ONNX file. */
  public BackendSpec withOnnx(Path other) {
    return new BackendSpec(name, other, savedModel, signature);
  }

  /**
   * Opens the backend in this process.
   *
   * @throws IllegalArgumentException when the artifact is missing or not of its kind
   */
  public Backend open() {
    return switch (name) {
      case "djl-ort" -> DjlBackend.onnx(onnx, null, OrtOptLevel.ALL);
      case "djl-ort-basic" -> DjlBackend.onnx(onnx, null, OrtOptLevel.BASIC);
      case "djl-ort-disabled" -> DjlBackend.onnx(onnx, null, OrtOptLevel.DISABLED);
      case "ort" -> new OrtBackend(onnx, OrtOptLevel.ALL);
      case "ort-basic" -> new OrtBackend(onnx, OrtOptLevel.BASIC);
      case "ort-disabled" -> new OrtBackend(onnx, OrtOptLevel.DISABLED);
      case "djl-tf" -> DjlBackend.savedModel(savedModel, null, signature);
      case "tf-java" -> new TfSavedModelBackend(savedModel, signature);
      case "ref-onnx" -> new OnnxReferenceBackend(onnx);
      default -> throw new IllegalStateException(name);
    };
  }

  /** The spec as command-line arguments of {@link BackendWorker}. */
  String[] toArgs() {
    return new String[] {name, onnx == null ? "-" : onnx.toAbsolutePath().toString(),
        savedModel == null ? "-" : savedModel.toAbsolutePath().toString(), signature};
  }

  /** The spec from {@link #toArgs()}. */
  static BackendSpec fromArgs(String[] args, int from) {
    return new BackendSpec(args[from], args[from + 1].equals("-") ? null : Path.of(args[from + 1]),
        args[from + 2].equals("-") ? null : Path.of(args[from + 2]), args[from + 3]);
  }
}
