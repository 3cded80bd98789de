package dev.rnnx.pipeline;

import java.nio.file.Path;

/**
 * The files a run writes into its output folder.
 *
 * @param dir the output folder
 */
public record RunArtifacts(Path dir) {

  /** Trained weights in the canonical layout. */
  public Path weights() {
    return dir.resolve("weights.safetensors");
  }

  /** The TensorFlow SavedModel folder (a model of several forms has one per form inside). */
  public Path savedModel() {
    return dir.resolve("saved_model");
  }

  /** A sequential model's ONNX model ({@link dev.rnnx.verify.FormFiles#inRun} names every form's). */
  public Path onnx() {
    return dir.resolve("model.onnx");
  }

  /** The JSON report. */
  public Path report() {
    return dir.resolve("report.json");
  }

  /** The TensorBoard event files of training ({@code train/} and {@code validation/} inside). */
  public Path logs() {
    return dir.resolve("logs");
  }

  /** The loss-curve plot. */
  public Path lossPlot() {
    return dir.resolve("loss.png");
  }
}
