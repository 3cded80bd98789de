package dev.rnnx.pipeline;

import dev.rnnx.djl.DjlBackend;
import dev.rnnx.djl.OrtBackend;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.tf.SavedModelSignatures;
import dev.rnnx.tf.TfJavaBackend;
import dev.rnnx.tf.TfSavedModelBackend;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendOpener;
import dev.rnnx.verify.BackendSpec;
import dev.rnnx.verify.BackendWorker;
import dev.rnnx.verify.SavedModelSignature;
import java.nio.file.Path;

/**
 * The {@link BackendOpener} that knows the engines: {@code tf-java} and {@code tf-saved-model}
 * from {@code tf}, the DJL and raw ONNX Runtime kinds from {@code djl}. Its {@link #main} is the
 * child-process worker of {@code verify.ProcessBackend}.
 */
public final class EngineBackends implements BackendOpener {

  /** The one instance; it holds no state. */
  public static final EngineBackends INSTANCE = new EngineBackends();

  private EngineBackends() {}

  @Override
  public Backend open(BackendSpec spec) {
    ModelForm form = spec.model() == null ? null : spec.model().form(spec.form());
    return switch (spec.kind()) {
      case TF_JAVA -> TfJavaBackend.build(spec.model(), spec.weights(), spec.form());
      case TF_SAVED_MODEL -> new TfSavedModelBackend(spec.savedModel(), spec.signature());
      case DJL_ORT, DJL_ORT_BASIC, DJL_ORT_DISABLED -> DjlBackend.onnx(spec.onnx(), form, spec.kind());
      case DJL_TF -> DjlBackend.savedModel(spec.savedModel(), form, spec.signature());
      case ORT, ORT_BASIC, ORT_DISABLED -> new OrtBackend(spec.onnx(), spec.kind());
      case REF, REF_ONNX -> throw new IllegalArgumentException("backend " + spec.kind() + " is pure Java: verify opens it");
    };
  }

  @Override
  public SavedModelSignature signature(Path savedModel, String signature) {
    return SavedModelSignatures.read(savedModel, signature);
  }

  @Override
  public String workerMain() {
    return EngineBackends.class.getName();
  }

  /** The child-process worker: serves the backend its arguments name ({@link BackendWorker#run}). */
  public static void main(String[] args) throws Exception {
    BackendWorker.run(args, INSTANCE);
  }
}
