package dev.rnnx.pipeline;

import dev.rnnx.djl.DjlBackends;
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
 * from {@code tf}, the DJL and raw ONNX Runtime kinds from {@code djl} ({@link DjlBackends}). Its {@link #main} is the
 * child-process worker of {@code verify.ProcessBackend}.
 */
public final class EngineBackends implements BackendOpener {

  /** The one instance; it holds no state. */
  public static final EngineBackends INSTANCE = new EngineBackends();

  private EngineBackends() {}

  @Override
  public Backend open(BackendSpec spec) {
    if (DjlBackends.opens(spec)) {
      return DjlBackends.INSTANCE.open(spec);
    }
    return switch (spec.kind()) {
      case TF_JAVA -> TfJavaBackend.build(spec.model(), spec.weights(), spec.form());
      case TF_SAVED_MODEL -> new TfSavedModelBackend(spec.savedModel(), spec.signature());
      default -> throw new IllegalArgumentException("backend " + spec.kind() + " is pure Java: verify opens it");
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
