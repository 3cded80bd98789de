/**
 * An ONNX reference evaluator in pure Java and double precision: the oracle that every native
 * runtime (ONNX Runtime, TensorFlow) is compared with, needing no native code.
 *
 * <p>{@link dev.rnnx.ref.onnx.OnnxEvaluator} loads a {@code ModelProto} and runs its graph;
 * {@link dev.rnnx.ref.onnx.Value} is the tensor it computes on; {@link dev.rnnx.ref.onnx.TensorProtos}
 * reads and writes {@code TensorProto}s as values and {@link dev.rnnx.ref.onnx.Values} converts to and
 * from the tensors of {@code dev.rnnx.tensorio}, which owns the {@code .pb} encoding and ONNX's
 * {@code test_data_set_N/input_K.pb} layout; {@link dev.rnnx.ref.onnx.ContainerProtos} reads the
 * {@code SequenceProto}s and {@code OptionalProto}s of sequence and optional values. The operators
 * cover the default ONNX domain as ONNX 1.12's backend test data uses it, at every opset version
 * that data uses (opset 1 to 23), with every element type (float16, bfloat16, strings, unsigned
 * integers, bool), sequences and optionals: recurrent operators, control flow ({@code Loop},
 * {@code If}, {@code Scan}, {@code SequenceMap}), convolution and pooling, resampling, indexing and
 * scatter/gather, normalisations, reductions, losses, signal processing, quantisation, strings and
 * random operators. They are registered in one table keyed by op type ({@code OpRegistry}), one
 * class per operator family. {@code OnnxBackendConformanceTest} runs the whole of that test data
 * against a list of expected failures, each with its reason (docs/VERIFY.md).
 */
package dev.rnnx.ref.onnx;
