/**
 * Tensor files: NumPy {@code .npy}, ONNX {@code TensorProto} {@code .pb} (one tensor, or ONNX's
 * {@code test_data_set_N/} layout), and JSON, read into rnnx's {@link dev.rnnx.spec.Tensor}s that
 * remember their file ({@link dev.rnnx.spec.SourcedInputs}); conversions between rnnx tensors and
 * the ONNX evaluator's values that {@code .pb} files hold.
 */
package dev.rnnx.tensorio;
