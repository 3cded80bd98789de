package dev.rnnx.onnx;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Lstm;
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
 * kind    min opset  converter
 * lstm    7          LSTM op (time-major) between Transposes
 * dense   7          Gemm, or MatMul + Add, then the activation op
 * </pre>
 */
public final class OnnxConverters {

  /** One registration. */
  private record Entry(String kind, int minOpset, LayerConverter converter) {}

  private static final OnnxConverters DEFAULTS = new OnnxConverters()
      .register(Lstm.KIND, 7, new LstmConverter(GateLayout.load()))
      .register(Dense.KIND, 7, new DenseConverter());

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
