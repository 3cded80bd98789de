/**
 * Tensor files: NumPy {@code .npy}, ONNX {@code TensorProto} {@code .pb} (one tensor,
 * {@link dev.rnnx.tensorio.TensorProtoCodec}, or ONNX's {@code test_data_set_N/} layout,
 * {@link dev.rnnx.tensorio.TestDataSet}), and JSON, read into rnnx's {@link dev.rnnx.spec.Tensor}s
 * that remember their file ({@link dev.rnnx.spec.SourcedInputs}). A {@code .pb} file's tensor keeps
 * its ONNX element type ({@link dev.rnnx.tensorio.TypedTensor}, {@link dev.rnnx.tensorio.ElementType}).
 * This package imports only {@code dev.rnnx.spec} and the ONNX protos: packages that hold tensors of
 * their own convert to and from these.
 */
package dev.rnnx.tensorio;
