package dev.rnnx.imports.onnx;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TensorSpec;
import java.util.stream.Stream;

/**
 * The PyTorch fixtures of {@code src/test/fixtures/torch} (made by its {@code make_fixtures.py}):
 * one folder per model and opset with {@code model.onnx} and PyTorch's recorded
 * {@code test_data_set_N}, and the helpers to feed them to a batch-major rnnx model.
 */
public final class TorchFixtures {

  /** Where the fixtures are. */
  public static final Path ROOT = Path.of("src/test/fixtures/torch");

  /** The models rnnx imports (every fixture but the Transformer encoder). */
  public static final List<String> RECURRENT = List.of("lstm", "lstm2", "bilstm", "lstm_batch_first", "gru", "bigru",
      "rnn_tanh", "gru_tagger", "classifier", "gru_h0");

  /**
   * The attention models rnnx imports: the post-norm relu encoder layer, the pre-norm one (relu), and
   * self-attention after a Linear or an LSTM.
   */
  public static final List<String> ATTENTION = List.of("transformer", "encoder_prenorm", "mha", "mha_lstm");

  /** The encoder layer's other forms: post-norm gelu, and a stack of two pre-norm gelu layers with its final norm. */
  public static final List<String> ENCODER_FORMS = List.of("encoder_gelu", "encoder_prenorm_stack");

  /** Every fixture rnnx imports, each exported at opsets 13 and 17. */
  public static final List<String> ALL = Stream.of(RECURRENT, ATTENTION, ENCODER_FORMS).flatMap(List::stream).toList();

  /** The fixtures whose graph reads and writes time-major tensors. */
  public static final List<String> TIME_MAJOR = List.of("lstm", "lstm2", "bilstm", "gru", "mha_lstm");

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

  /**
   * A recorded set's inputs as the imported model reads them: the first is {@code input}
   * (batch-major), the others are the model's initial states in order, {@code [1, B, H]} read as
   * {@code [B, H]}.
   */
  public static Map<String, Tensor> modelInputs(String name, Sequential model, TestDataSet set) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    List<TensorSpec> specs = model.inputs();
    int k = 0;
    for (TypedTensor t : set.inputs().values()) {
      String input = specs.get(k++).name();
      if (k == 1) {
        in.put(input, batchMajor(name, t));
      } else {
        long[] s = t.shape();
        in.put(input, new FloatTensor(java.util.Arrays.copyOfRange(s, 1, s.length), t.toFloat().data()));
      }
    }
    return in;
  }

  /** A tensor as rnnx reads it: time-major fixtures swap their first two axes. */
  public static Tensor batchMajor(String name, TypedTensor t) {
    Tensor x = t.toTensor();
    return TIME_MAJOR.contains(name) ? TimeMajor.swap(x) : x;
  }

  /**
   * A fixture's opset-17 graph with its float scalar constants (the attention's query scale √2)
   * set to 2, written to {@code out}: one head of width 4 by the pattern, still two heads in the
   * graph's plumbing, so the import must be refused by the numeric check.
   */
  static Path rescaled(String name, Path out) throws IOException {
    ai.onnx.proto.OnnxMl.ModelProto.Builder m = dev.rnnx.onnx.OnnxModels.read(model(name, 17)).toBuilder();
    for (int i = 0; i < m.getGraph().getNodeCount(); i++) {
      ai.onnx.proto.OnnxMl.NodeProto n = m.getGraph().getNode(i);
      if (n.getOpType().equals("Constant") && n.getAttribute(0).getT().getDataType() == 1
          && n.getAttribute(0).getT().getDimsCount() == 0) {
        ai.onnx.proto.OnnxMl.TensorProto t = n.getAttribute(0).getT().toBuilder().clearRawData().clearFloatData()
            .addFloatData(2f).build();
        m.getGraphBuilder().setNode(i, n.toBuilder().setAttribute(0, n.getAttribute(0).toBuilder().setT(t)));
      }
    }
    Files.write(out, m.build().toByteArray());
    return out;
  }

  /** The largest absolute difference of two float tensors of one shape. */
  public static double maxAbs(FloatTensor a, FloatTensor b) {
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
