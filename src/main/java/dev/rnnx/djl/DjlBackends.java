package dev.rnnx.djl;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendOpener;
import dev.rnnx.verify.BackendSpec;
import dev.rnnx.verify.BackendWorker;
import dev.rnnx.verify.SavedModelSignature;
import java.nio.file.Path;

/**
 * The backends that live in {@code djl} ({@code djl-ort*}, {@code djl-tf}, {@code ort*}), opened
 * from a {@link BackendSpec}: what {@code pipeline.EngineBackends} delegates to for these kinds,
 * and, through {@link #main}, the child-process worker of {@link IsolatedOnnxModel} (the same
 * {@link BackendWorker} protocol {@code verify} isolates native backends with).
 */
public final class DjlBackends implements BackendOpener {

  /** The one instance; it holds no state. */
  public static final DjlBackends INSTANCE = new DjlBackends();

  private DjlBackends() {}

  /** Whether {@code spec}'s kind is one of this package's. */
  public static boolean opens(BackendSpec spec) {
    return switch (spec.kind()) {
      case DJL_ORT, DJL_ORT_BASIC, DJL_ORT_DISABLED, DJL_TF, ORT, ORT_BASIC, ORT_DISABLED -> true;
      default -> false;
    };
  }

  @Override
  public Backend open(BackendSpec spec) {
    ModelForm form = spec.model() == null ? null : spec.model().form(spec.form());
    return switch (spec.kind()) {
      case DJL_ORT, DJL_ORT_BASIC, DJL_ORT_DISABLED -> DjlBackend.onnx(spec.onnx(), form, spec.kind());
      case DJL_TF -> DjlBackend.savedModel(spec.savedModel(), form, spec.signature());
      case ORT, ORT_BASIC, ORT_DISABLED -> new OrtBackend(spec.onnx(), spec.kind());
      default -> throw new IllegalArgumentException("backend " + spec.kind() + " is not one of djl's");
    };
  }

  @Override
  public SavedModelSignature signature(Path savedModel, String signature) {
    throw new UnsupportedOperationException("djl reads no SavedModel signature without TensorFlow; use pipeline.EngineBackends");
  }

  @Override
  public String workerMain() {
    return DjlBackends.class.getName();
  }

  /** The child-process worker: serves the backend its arguments name ({@link BackendWorker#run}). */
  public static void main(String[] args) throws Exception {
    BackendWorker.run(args, INSTANCE);
  }
}
