/**
 * The main job as a Java API: train a recipe, export it to a SavedModel and ONNX, verify parity
 * across every backend, and write the report. The CLI's {@code run} command is a thin shell
 * around {@link dev.rnnx.pipeline.RunPipeline}.
 */
package dev.rnnx.pipeline;
