package dev.rnnx.pipeline;

import dev.rnnx.djl.OrtOptions;
import dev.rnnx.djl.RnnxModel;
import java.nio.file.Path;

/**
 * How the pipeline's checks load what a user would serve: through {@link RnnxModel}, the one
 * serving path, with one predictor per form, no warm-up, and ONNX Runtime's own session
 * defaults (as a bare DJL model has them).
 */
final class ServedForms {

  private ServedForms() {}

  /**
   * Loads {@code artifact} (a run folder, a {@code .onnx} file or a SavedModel folder) on
   * {@code engine}: {@link RnnxModel#ONNX_RUNTIME} or {@link RnnxModel#TENSORFLOW}.
   */
  static RnnxModel load(Path artifact, String engine) {
    return RnnxModel.builder(artifact).optEngine(engine).optOrtOptions(OrtOptions.ENGINE_DEFAULTS).optPoolSize(1)
        .optWarmUp(false).build();
  }
}
