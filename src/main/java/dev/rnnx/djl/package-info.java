/**
 * Serving rnnx artifacts on DJL: {@link dev.rnnx.djl.DjlModel} loads an ONNX file on DJL's
 * OnnxRuntime engine or a SavedModel on DJL's TensorFlow engine and runs named tensors through it
 * (float32 features and states; integer token ids and lengths, narrowed to the declared int64 or
 * int32 and checked in Java before any native call); {@link dev.rnnx.djl.NativeWiring} makes both engines start offline, with no
 * environment variable, in one JVM.
 *
 * <p>{@link dev.rnnx.djl.RnnxModel} is the serving entry point on top: it picks the engine from the
 * artifact (a {@code .onnx} file, a SavedModel, a run folder), keeps a {@code PredictorPool} per
 * model form and optionally a {@code DynamicBatcher}, and hands out thread-safe
 * {@link dev.rnnx.djl.ServingPredictor}s over task translators (regression, classification,
 * tagging, named tensors, embedding) plus the seq2seq generator and the word2vec neighbours.
 * Requests that do not fit the model are {@link dev.rnnx.spec.InvalidInputException}s, raised in
 * Java. ONNX Runtime session options: {@link dev.rnnx.djl.OrtOptions}. See docs/SERVING.md.
 *
 * <p>The ONNX path never loads an {@code org.tensorflow} class: DJL's OnnxRuntime engine would
 * otherwise take the TensorFlow engine as its "alternative" for NDArray work. Everything that
 * touches TensorFlow Java lives in package-private classes reached only from
 * {@link dev.rnnx.djl.DjlModel#loadSavedModel} and {@link dev.rnnx.djl.NativeWiring#configureForTensorFlow}.
 */
package dev.rnnx.djl;
