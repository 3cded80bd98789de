package dev.rnnx.onnx;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The table of layer converters, keyed by layer kind and minimum opset (tf2onnx's handler
 * style): for a kind, the registered converter with the newest minimum opset at or below the
 * target opset wins. A kind with no entry, or none old enough, fails loudly.
 *
 * <pre>
 * kind              min opset  converter
 * simple_rnn        7          RNN op (time-major) between Transposes
 * lstm              7          LSTM op, peepholes as P
 * gru               7          GRU op, reset_after as linear_before_reset=1
 * bidirectional     7          one RNN/LSTM/GRU op with direction=bidirectional, halves merged
 * dense             7          Gemm, or MatMul + Add, then the activation op
 * time_distributed  7          the wrapped Dense as MatMul + Add on [batch, time, features]
 * embedding         7          Gather on the embedding table
 * </pre>
 *
 * <p>Options that need a newer opset than a kind's converter are refused by the converter with an
 * {@link OnnxExportException} naming the layer, the option and the opset that works: go_backwards
 * with return_sequences needs opset {@value RecurrentConverter#GO_BACKWARDS_SEQUENCES_OPSET}
 * ({@code ReverseSequence}, {@code Slice} steps). Everything else that changes between the
 * supported opsets (axes of Squeeze/Unsqueeze as inputs from 13, Softmax's 2-D coercion before 13,
 * the recurrent ops' {@code layout} from 14) is emitted in the form of the target opset.
 */
public final class OnnxConverters {

  /** One registration. */
  private record Entry(String kind, int minOpset, LayerConverter converter) {}

  private static final RecurrentConverter RECURRENT = new RecurrentConverter(GateLayout.load());
  private static final DenseConverter DENSE = new DenseConverter();

  private static final OnnxConverters DEFAULTS = new OnnxConverters()
      .register(SimpleRnn.KIND, 7, RECURRENT)
      .register(Lstm.KIND, 7, RECURRENT)
      .register(Gru.KIND, 7, RECURRENT)
      .register(Bidirectional.KIND, 7, RECURRENT)
      .register(Dense.KIND, 7, DENSE)
      .register(TimeDistributed.KIND, 7, DENSE)
      .register(Embedding.KIND, 7, new EmbeddingConverter());

  private final List<Entry> entries = new ArrayList<>();

  private OnnxConverters() {}

  private OnnxConverters register(String kind, int minOpset, LayerConverter converter) {
    entries.add(new Entry(kind, minOpset, converter));
    return this;
  }

  /** The layer kinds that have a converter, sorted. */
  public static List<String> kinds() {
    return List.copyOf(new TreeSet<>(DEFAULTS.entries.stream().map(Entry::kind).toList()));
  }

  /**
   * The oldest opset at which a kind can be converted.
   *
   * @throws OnnxExportException naming the kind and the known kinds when it has no converter
   */
  public static int minimumOpset(String kind) {
    return DEFAULTS.entries.stream().filter(e -> e.kind.equals(kind)).mapToInt(Entry::minOpset).min()
        .orElseThrow(() -> unknown(kind));
  }

  /** The converter for a kind at an opset. */
  static LayerConverter find(String kind, int opset) {
    List<Entry> forKind = DEFAULTS.entries.stream().filter(e -> e.kind.equals(kind)).toList();
    if (forKind.isEmpty()) {
      throw unknown(kind);
    }
    return forKind.stream().filter(e -> e.minOpset <= opset).max(Comparator.comparingInt(Entry::minOpset))
        .map(Entry::converter)
        .orElseThrow(() -> new OnnxExportException("layer kind '" + kind + "' cannot be exported at opset " + opset
            + ", its converters need opset " + minimumOpset(kind) + " or newer"));
  }

  private static OnnxExportException unknown(String kind) {
    return new OnnxExportException("no ONNX converter for layer kind '" + kind + "', expected one of " + kinds());
  }
}
