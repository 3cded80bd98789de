/**
 * An ONNX reference evaluator in pure Java and double precision: the oracle that every native
 * runtime (ONNX Runtime, TensorFlow) is compared with, needing no native code.
 *
 * <p>{@link dev.rnnx.ref.onnx.OnnxEvaluator} loads a {@code ModelProto} and runs its graph;
 * {@link dev.rnnx.ref.onnx.Value} is the tensor it computes on; {@link dev.rnnx.ref.onnx.TensorProtos}
 * reads and writes {@code TensorProto}s as values and {@link dev.rnnx.ref.onnx.Values} converts to and
 * from the tensors of {@code dev.rnnx.tensorio}, which owns the {@code .pb} encoding and ONNX's
 * {@code test_data_set_N/input_K.pb} layout. The operators cover what rnnx emits — the recurrent operators {@code LSTM},
 * {@code GRU} and {@code RNN} with every attribute, {@code Loop} with its body graph (which reads
 * its enclosing graphs by name), {@code Attention} (opset 23), matrix products, element-wise
 * arithmetic, normalisations, reductions, {@code ArgMax}, {@code TopK}, {@code Range} and the layout
 * operators — and are registered in one table keyed by op type ({@code OpRegistry}), one class per
 * operator family. The evaluator passes ONNX's official
 * node tests for these operators ({@code OnnxBackendConformanceTest}).
 */
package dev.rnnx.ref.onnx;
