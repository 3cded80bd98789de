/**
 * Export of rnnx models to ONNX, and the ONNX checker.
 *
 * <p>{@link dev.rnnx.onnx.OnnxExporter#export} exports every form of a model
 * ({@link dev.rnnx.spec.ModelSpec#forms()}), one ONNX model per form: a
 * {@link dev.rnnx.spec.Sequential} model's {@code model}; a {@link dev.rnnx.spec.Seq2Seq} model's
 * {@code training}, {@code encoder}, {@code decoder_step} and {@code greedy_decoder} (one
 * self-contained graph with an ONNX {@code Loop}); a {@link dev.rnnx.spec.Word2Vec} model's
 * {@code embedding} and {@code most_similar}. A recurrent {@code decoder_step} returns its new
 * states as {@code new_state_h}/{@code new_state_c} ({@link dev.rnnx.onnx.OnnxExporter#outputName}):
 * ONNX cannot name an output like an input.
 *
 * <p>A sequential model's layers go to the converter that {@link dev.rnnx.onnx.OnnxConverters}
 * registers for their kind (the newest one at or below the target opset, tf2onnx style).
 * Recurrent layers ({@code simple_rnn}, {@code lstm}, {@code gru}, and {@code bidirectional} over
 * any of them) become ONE native recurrent node each ({@code RNN}, {@code LSTM}, {@code GRU}),
 * never unrolled loops; a model's {@code lengths} input is every node's {@code sequence_lens},
 * whose semantics (outputs zero past each length, final states at the last valid step) are the ones
 * rnnx promises. Attention layers mask keys past each length (and future keys when causal) with
 * {@code Where(mask, scores, −∞)} before the softmax, so they get exactly zero weight; multi-head
 * attention is standard ops below opset 23 and ONE ONNX {@code Attention} node from 23; layer
 * normalisation is ONNX {@code LayerNormalization} (opset 17). Options that an opset cannot express
 * are refused with an {@link dev.rnnx.onnx.OnnxExportException} naming the layer (or model), what
 * it needs and the opset that has it.
 *
 * <p>Every model is validated before it is returned or written: up to opset 22 by the real ONNX
 * checker with full checking and strict shape inference ({@link dev.rnnx.onnx.OnnxChecker}); at
 * opset 23 (IR 11, which the bundled ONNX 1.17 cannot read) by rnnx's pure-Java reference evaluator
 * ({@code dev.rnnx.ref.onnx}), which prepares the graph and runs it once on the smallest valid
 * inputs. ONNX Runtime is not started here: its process-wide environment must be DJL's.
 *
 * <p>The conversion rules are data, kept in the top-level {@code converters/} folder and read from
 * the classpath: gate orders and weight layouts per convention ({@link dev.rnnx.onnx.GateLayout}),
 * the opset range of every emitted op and the IR version each opset requires
 * ({@link dev.rnnx.onnx.OpsetTable}), and per-runtime capability flags
 * ({@link dev.rnnx.onnx.RuntimeCapabilities}).
 *
 * <p>Nothing here loads TensorFlow; the checker's native code comes from {@code org.bytedeco:onnx}.
 */
package dev.rnnx.onnx;
