/**
 * Export of {@link dev.rnnx.spec.Sequential} models to ONNX, and the ONNX checker.
 *
 * <p>{@link dev.rnnx.onnx.OnnxExporter} walks the layers and hands each to the converter that
 * {@link dev.rnnx.onnx.OnnxConverters} registers for its kind (the newest one at or below the
 * target opset, tf2onnx style). Recurrent layers ({@code simple_rnn}, {@code lstm}, {@code gru},
 * and {@code bidirectional} over any of them) become ONE native recurrent node each ({@code RNN},
 * {@code LSTM}, {@code GRU}), never unrolled loops; a model's {@code lengths} input is every node's
 * {@code sequence_lens}, whose semantics (outputs zero past each length, final states at the last
 * valid step) are the ones rnnx promises. Options that an opset cannot express are refused with an
 * {@link dev.rnnx.onnx.OnnxExportException} naming the layer, the option and the opset that works. Every model is run through the real ONNX checker with full checking and strict
 * shape inference ({@link dev.rnnx.onnx.OnnxChecker}) before it is returned or written.
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
