package dev.rnnx.onnx;

import dev.rnnx.spec.Attention;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Flatten;
import dev.rnnx.spec.GlobalMaxPooling;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Normalization;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.spec.TransformerEncoder;
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
 * kind                    min opset  converter
 * simple_rnn              7          RNN op (time-major) between Transposes
 * lstm                    7          LSTM op, peepholes as P
 * gru                     7          GRU op, reset_after as linear_before_reset=1
 * bidirectional           7          one RNN/LSTM/GRU op with direction=bidirectional, halves merged
 * dense                   7          Gemm, or MatMul + Add, then the activation op
 * time_distributed        7          the wrapped Dense as MatMul + Add on [batch, time, features]
 * embedding               7          Gather on the embedding table
 * attention               11         score subgraph, Where(mask, ·, −∞), Softmax, MatMul (Range: masks)
 *                         23         dot, scaled_dot, general: ONE ONNX Attention node (additive as at 11)
 * multi_head_attention    11         projections, Reshape/Transpose per head, masked Softmax, merge
 *                         23         projections, ONE ONNX Attention node, output projection
 * positional_encoding     11         x (· √d) + Gather(table, Range(0, T))
 * global_average_pooling  11         ReduceMean, or the mean over valid steps (Range: masks)
 * layer_normalization     17         one LayerNormalization node
 * normalization           7          Add (of −mean) and Mul (inverted: Mul and Add) with constant [d] initializers
 * transformer_encoder     17         post-norm block: multi-head attention (standard ops), FFN, 2 LayerNormalization
 *                         23         the same with ONE ONNX Attention node
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

  /** One registration: what the converter needs from its minimum opset on. */
  private record Entry(String kind, int minOpset, LayerConverter converter, String needs) {}

  private static final RecurrentConverter RECURRENT = new RecurrentConverter(GateLayout.load());
  private static final DenseConverter DENSE = new DenseConverter();

  private static final OnnxConverters DEFAULTS = new OnnxConverters()
      .register(SimpleRnn.KIND, 7, RECURRENT, "the RNN op")
      .register(Lstm.KIND, 7, RECURRENT, "the LSTM op")
      .register(Gru.KIND, 7, RECURRENT, "the GRU op")
      .register(Bidirectional.KIND, 7, RECURRENT, "the recurrent ops")
      .register(Dense.KIND, 7, DENSE, "Gemm with broadcasting")
      .register(TimeDistributed.KIND, 7, DENSE, "MatMul with broadcasting")
      .register(Embedding.KIND, 7, new EmbeddingConverter(), "Gather")
      .register(Normalization.KIND, 7, new NormalizationConverter(), "Mul and Add with broadcasting")
      .register(Attention.KIND, 11, new AttentionConverter(false), "Range for its masks")
      .register(Attention.KIND, AttentionOps.ATTENTION_OP_OPSET, new AttentionConverter(true), "ONNX Attention")
      .register(MultiHeadAttention.KIND, 11, new MultiHeadAttentionConverter(false), "Range for its masks")
      .register(MultiHeadAttention.KIND, AttentionOps.ATTENTION_OP_OPSET, new MultiHeadAttentionConverter(true),
          "ONNX Attention")
      .register(PositionalEncoding.KIND, 11, new PositionalEncodingConverter(), "Range for its table rows")
      .register(GlobalAveragePooling.KIND, 11, new GlobalAveragePoolingConverter(), "Range for its masks")
      .register(GlobalMaxPooling.KIND, 11, new GlobalMaxPoolingConverter(), "Range for its masks")
      .register(Flatten.KIND, 7, new FlattenConverter(), "Reshape with a shape input")
      .register(LayerNormalization.KIND, TransformerOps.LAYER_NORMALIZATION_OPSET, new LayerNormalizationConverter(),
          "ONNX LayerNormalization")
      .register(TransformerEncoder.KIND, TransformerOps.LAYER_NORMALIZATION_OPSET, new TransformerEncoderConverter(false),
          "ONNX LayerNormalization")
      .register(TransformerEncoder.KIND, AttentionOps.ATTENTION_OP_OPSET, new TransformerEncoderConverter(true),
          "ONNX Attention");

  private final List<Entry> entries = new ArrayList<>();

  private OnnxConverters() {}

  private OnnxConverters register(String kind, int minOpset, LayerConverter converter, String needs) {
    entries.add(new Entry(kind, minOpset, converter, needs));
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

  /**
   * The converter for a layer at an opset.
   *
   * @throws OnnxExportException naming the layer, its kind, what its oldest converter needs and the
   *     opset that has it, when the opset is too old
   */
  static LayerConverter find(Layer layer, int opset) {
    String kind = layer.kind();
    List<Entry> forKind = DEFAULTS.entries.stream().filter(e -> e.kind.equals(kind)).toList();
    if (forKind.isEmpty()) {
      throw unknown(kind);
    }
    Entry oldest = forKind.stream().min(Comparator.comparingInt(Entry::minOpset)).orElseThrow();
    if (opset < oldest.minOpset) {
      throw new OnnxExportException("layer '" + layer.name() + "' (" + kind + ") needs opset " + oldest.minOpset
          + " or newer (" + oldest.needs + "), got opset " + opset);
    }
    return find(kind, opset);
  }

  private static OnnxExportException unknown(String kind) {
    return new OnnxExportException("no ONNX converter for layer kind '" + kind + "', expected one of " + kinds());
  }
}
