package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.onnx.StreamExport;
import dev.rnnx.ref.RefStream;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.tf.TfServingModel;
import dev.rnnx.tf.TfForm;
import dev.rnnx.tf.TfStreamForm;
import dev.rnnx.verify.OnnxReferenceBackend;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequence fed chunk by chunk (1 step at a time, 3 at a time, random chunks of 1 to 10) through
 * a streaming session gives, after every chunk, what the {@code model} form gives on the whole
 * prefix at once, on the reference, the pure-Java ONNX evaluator on the exported stream form,
 * TensorFlow Java, DJL's OnnxRuntime and DJL's TensorFlow: LSTM,
 * stacked LSTM, peephole LSTM, GRU, and a SimpleRNN → peephole LSTM → GRU stack with a per-step
 * head.
 */
class StreamSessionTest {

  /** Every recurrent kind stacked, every step returned, a per-step dense head. */
  static final String MIXED = """
      name: mixed-stream
      seed: 5
      model:
        input: {features: 1}
        layers:
          - {type: simple_rnn, units: 5, return_sequences: true}
          - {type: lstm, units: 4, peephole: true, return_sequences: true}
          - {type: gru, units: 3, return_sequences: true}
          - type: time_distributed
            layer: {type: dense, units: 3, activation: softmax}
      data: {task: context_tagging, length: 20, samples: 64}
      training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  private static final int T = 25;

  @TempDir Path tmp;

  /** A backend: its stream sessions and its {@code model} form on a whole sequence. */
  private record Face(String name, StreamSessions sessions, Function<FloatTensor, FloatTensor> whole) {}

  @Test
  void chunksEqualTheWholeSequenceOnTheReference() throws IOException {
    for (String zoo : List.of("sine-lstm", "stacked-lstm", "peephole-lstm", "gru-sine", "forward-tagger")) {
      Path run = ServingRuns.zoo(tmp.resolve(zoo), zoo);
      checkEveryChunking(reference(run), 1e-6);
    }
    checkEveryChunking(reference(ServingRuns.yaml(tmp.resolve("mixed"), MIXED)), 1e-6);
  }

  @Test
  void chunksEqualTheWholeSequenceOnThePureJavaOnnxEvaluator() throws IOException {
    for (Path run : List.of(ServingRuns.zoo(tmp.resolve("peephole-lstm"), "peephole-lstm"),
        ServingRuns.yaml(tmp.resolve("mixed"), MIXED))) {
      Sequential model = RunFolder.open(run).recipe().sequential();
      Weights w = ServingRuns.weights(run);
      Provenance provenance = new Provenance(model.name(), "", 0, Map.of(), Map.of());
      var onnx = StreamExport.export(model, w, provenance);
      OnnxReferenceBackend stream = new OnnxReferenceBackend(run.resolve("stream.onnx"), onnx);
      OnnxReferenceBackend whole = new OnnxReferenceBackend(run.resolve("model.onnx"));
      StreamSessions sessions = StreamSessions.over(StreamForm.of(model), "ref-onnx", StreamOptions.DEFAULTS, stream::run);
      checkEveryChunking(new Face("ref-onnx " + model.name(), sessions, x -> whole.run(Map.of("input", x)).get("output")), 1e-6);
    }
  }

  @Test
  void chunksEqualTheWholeSequenceOnOnnxRuntime() throws IOException {
    for (String zoo : List.of("sine-lstm", "stacked-lstm", "gru-sine", "forward-tagger")) {
      Path run = ServingRuns.zoo(tmp.resolve(zoo), zoo);
      try (RnnxModel model = RnnxModel.builder(run).optPoolSize(1).build()) {
        checkEveryChunking(new Face("djl-ort " + zoo, model.streams(), x -> model.tensors().predict(Map.of("input", x)).get("output")), 1e-5);
      }
    }
    Path mixed = ServingRuns.yaml(tmp.resolve("mixed"), MIXED);
    try (RnnxModel model = RnnxModel.builder(mixed).optPoolSize(1).build()) {
      checkEveryChunking(new Face("djl-ort mixed", model.streams(), x -> model.tensors().predict(Map.of("input", x)).get("output")), 1e-5);
    }
  }

  @Test
  void chunksEqualTheWholeSequenceOnTensorFlow() throws IOException {
    Path mixed = ServingRuns.yaml(tmp.resolve("mixed"), MIXED);
    Path stacked = ServingRuns.zoo(tmp.resolve("stacked-lstm"), "stacked-lstm");
    for (Path run : List.of(mixed, stacked)) {
      Sequential model = RunFolder.open(run).recipe().sequential();
      Weights w = ServingRuns.weights(run);
      try (TfForm stream = TfStreamForm.build(model, w); TfServingModel whole = TfServingModel.build(model, w)) {
        StreamSessions sessions = StreamSessions.over(StreamForm.of(model), "tf-java", StreamOptions.DEFAULTS, stream::run);
        checkEveryChunking(new Face("tf-java " + model.name(), sessions, x -> whole.run(Map.of("input", x)).get("output")), 1e-5);
        // DJL's TensorFlow engine on the stream form's SavedModel, beside the run's own SavedModel
        Provenance provenance = new Provenance(model.name(), "", 0, Map.of(), Map.of());
        stream.exportSavedModel(run.resolve(StreamLoader.SAVED_MODEL), provenance);
        whole.exportSavedModel(run.resolve("saved_model"), provenance);
      }
      try (RnnxModel served = RnnxModel.builder(run).optEngine("tf").optPoolSize(1).build()) {
        assertEquals(RnnxModel.TENSORFLOW, served.engine());
        checkEveryChunking(new Face("djl-tf " + run.getFileName(), served.streams(),
            x -> served.tensors().predict(Map.of("input", x)).get("output")), 1e-5);
      }
    }
  }

  private static Face reference(Path run) {
    Sequential model = RunFolder.open(run).recipe().sequential();
    Weights w = ServingRuns.weights(run);
    ReferenceModel whole = new ReferenceModel(model, w);
    StreamSessions sessions = StreamSessions.over(StreamForm.of(model), "ref", StreamOptions.DEFAULTS, new RefStream(model, w)::run);
    return new Face("ref " + model.name(), sessions, x -> whole.run(Map.of("input", x)).get("output"));
  }

  /** Chunks of 1, of 3, and random ones of 1 … 10 steps. */
  private static void checkEveryChunking(Face face, double atol) {
    int features = face.sessions().form().model().inputFeatures();
    float[] x = new Random(7).doubles((long) T * features, -1, 1).collect(() -> new FloatArray(), FloatArray::add, FloatArray::addAll).array;
    Random r = new Random(3);
    List<int[]> chunkings = List.of(sizes(i -> 1), sizes(i -> 3), sizes(i -> 1 + r.nextInt(10)));
    for (int[] chunks : chunkings) {
      feedAndCompare(face, x, features, chunks, atol);
    }
  }

  private static int[] sizes(java.util.function.IntUnaryOperator size) {
    List<Integer> out = new ArrayList<>();
    int fed = 0;
    for (int i = 0; fed < T; i++) {
      int n = Math.min(size.applyAsInt(i), T - fed);
      out.add(n);
      fed += n;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void feedAndCompare(Face face, float[] x, int features, int[] chunks, double atol) {
    boolean sequence = face.sessions().form().sequenceOutput();
    FloatTensor all = face.whole().apply(FloatTensor.of(x, 1, T, features));
    try (StreamSession s = face.sessions().open()) {
      int fed = 0;
      for (int n : chunks) {
        float[] part = java.util.Arrays.copyOfRange(x, fed * features, (fed + n) * features);
        FloatTensor out = s.feed(FloatTensor.of(part, n, features));
        String where = face.name() + ", chunks " + java.util.Arrays.toString(chunks) + ", steps " + fed + " … " + (fed + n);
        if (sequence) {
          int units = Math.toIntExact(out.dim(2));
          assertEquals(n, out.dim(1), where);
          for (int i = 0; i < n * units; i++) {
            assertEquals(all.data()[fed * units + i], out.data()[i], atol, where);
          }
        } else {
          FloatTensor prefix = fed + n == T ? all : face.whole().apply(FloatTensor.of(java.util.Arrays.copyOf(x, (fed + n) * features), 1,
              fed + n, features));
          assertEquals(prefix.data().length, out.data().length, where);
          for (int i = 0; i < out.data().length; i++) {
            assertEquals(prefix.data()[i], out.data()[i], atol, where);
          }
        }
        fed += n;
      }
      assertEquals(T, s.steps());
    }
    assertTrue(face.sessions().openSessions() == 0, face.name() + ": a closed session stays open");
  }

  /** A growable float array, for collecting random doubles. */
  private static final class FloatArray {
    float[] array = new float[0];

    void add(double d) {
      array = java.util.Arrays.copyOf(array, array.length + 1);
      array[array.length - 1] = (float) d;
    }

    void addAll(FloatArray other) {
      for (float f : other.array) {
        add(f);
      }
    }
  }

  static Recipe recipe(String yaml) {
    return RecipeCodec.parse(yaml, "test recipe");
  }
}
