/**
 * ONNX graphs in: the RNN family that PyTorch, tf2onnx and rnnx write, lifted into a
 * {@code spec.Sequential} and canonical weights ({@link dev.rnnx.imports.onnx.OnnxImporter}).
 */
package dev.rnnx.imports.onnx;
