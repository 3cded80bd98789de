/**
 * The main job as a Java API, one path for every model kind: train a recipe, export every form to
 * a SavedModel and ONNX, verify parity of every form across every backend, check what the model is
 * for, and write the report. It wires the engines into {@code verify}
 * ({@link dev.rnnx.pipeline.EngineBackends}). The CLI's {@code run} command is a thin shell around
 * {@link dev.rnnx.pipeline.RunPipeline}.
 */
package dev.rnnx.pipeline;
