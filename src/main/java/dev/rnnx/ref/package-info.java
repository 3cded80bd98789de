/**
 * The oracle: a pure-Java, double-precision forward pass of every layer kind, computed from the
 * canonical weights. It needs no native code, so it can judge every native backend.
 *
 * <p>{@link dev.rnnx.ref.RefLayers} maps each layer kind to its {@link dev.rnnx.ref.RefForward};
 * {@link dev.rnnx.ref.ReferenceModel} chains them over a model's inputs (features or token ids,
 * {@code lengths}, initial states). {@link dev.rnnx.ref.ReferenceModel#trace} keeps every
 * intermediate value ({@link dev.rnnx.ref.RefTrace}: each layer's outputs, each recurrent step's
 * states and gate activations) so that a parity failure can be traced to its first layer, step and
 * gate. The conventions are tied to ONNX's by tests that run the same canonical weights through
 * hand-built ONNX graphs on {@link dev.rnnx.ref.onnx.OnnxEvaluator}.
 */
package dev.rnnx.ref;
