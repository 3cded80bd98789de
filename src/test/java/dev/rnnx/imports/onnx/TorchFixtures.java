package dev.rnnx.imports.onnx;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PyTorch fixtures of {@code src/test/fixtures/torch} (made by its {@code make_fixtures.py}):
 * one folder per model and opset with {@code model.onnx} and PyTorch's recorded
 * {@code test_data_set_N}, and the helpers to feed them to a batch-major rnnx model.
 */
final class TorchFixtures {

  static final Path ROOT = Path.of("src/test/fixtures/torch");

  /** The models rnnx imports (every fixture but the Transformer encoder). */
  static final List<String> RECURRENT = List.of("lstm", "lstm2", "bilstm", "lstm_batch_first", "gru", "bigru",
      "rnn_tanh", "gru_tagger", "classifier");

  /** The fixtures whose graph reads and writes time-major tensors. */
  static final List<String> TIME_MAJOR = List.of("lstm", "lstm2", "bilstm", "gru");

  private TorchFixtures() {}

  static Path model(String name, int opset) {
    return ROOT.resolve(name + "_opset" + opset).resolve("model.onnx");
  }

  /** The recorded sets of a fixture, in order. */
  static List<TestDataSet> sets(String name, int opset) {
    try (Stream<Path> dirs = Files.list(ROOT.resolve(name + "_opset" + opset))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("test_data_set_")).sorted()
          .map(TestDataSet::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tensor as rnnx reads it: time-major fixtures swap their first two axes. */
  static Tensor batchMajor(String name, TypedTensor t) {
    Tensor x = t.toTensor();
    return TIME_MAJOR.contains(name) ? TimeMajor.swap(x) : x;
  }

  /** The largest absolute difference of two float tensors of one shape. */
  static double maxAbs(FloatTensor a, FloatTensor b) {
    if (!java.util.Arrays.equals(a.shape(), b.shape())) {
      throw new AssertionError("shapes " + a.shapeString() + " and " + b.shapeString() + " differ");
    }
    double m = 0;
    for (int i = 0; i < a.size(); i++) {
      m = Math.max(m, Math.abs((double) a.data()[i] - b.data()[i]));
    }
    return m;
  }
}
