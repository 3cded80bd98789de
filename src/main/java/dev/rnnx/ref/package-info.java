/**
 * The oracle: a pure-Java, double-precision forward pass of every layer kind and every model
 * form, computed from the canonical weights. It needs no native code, so it can judge every native
 * backend.
 *
 * <p>{@link dev.rnnx.ref.RefLayers} maps each layer kind to its {@link dev.rnnx.ref.RefForward};
 * {@link dev.rnnx.ref.ReferenceModel} chains them over a sequential model's inputs (features or
 * token ids, {@code lengths}, initial states). {@link dev.rnnx.ref.ReferenceModel#trace} keeps every
 * intermediate value ({@link dev.rnnx.ref.RefTrace}: each layer's outputs, each recurrent step's
 * states and gate activations, attention weights and Transformer sub-layer outputs) so that a
 * parity failure can be traced to its first layer, step and gate.
 *
 * <p>{@link dev.rnnx.ref.ReferenceForms#of} is the single entry point for any model kind: every
 * form of a sequential, seq2seq ({@link dev.rnnx.ref.RefSeq2Seq}) or word2vec
 * ({@link dev.rnnx.ref.RefWord2Vec}) model as a {@link dev.rnnx.ref.ReferenceForm}.
 * Greedy and beam search ({@code dev.rnnx.decode}) run over {@link dev.rnnx.ref.RefSeq2Seq#decoder}
 * as over any backend's decoder-step form. The conventions are tied to ONNX's by tests that run the same canonical weights through
 * hand-built ONNX graphs on {@link dev.rnnx.ref.onnx.OnnxEvaluator}.
 */
package dev.rnnx.ref;
