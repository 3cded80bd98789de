package dev.rnnx.ref;

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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The table of reference forwards, one per layer kind. */
public final class RefLayers {

  private static final Map<String, RefForward<?>> FORWARDS;

  static {
    Map<String, RefForward<?>> m = new TreeMap<>();
    RecurrentForward recurrent = new RecurrentForward();
    m.put(Dense.KIND, new DenseForward());
    m.put(SimpleRnn.KIND, recurrent);
    m.put(Lstm.KIND, recurrent);
    m.put(Gru.KIND, recurrent);
    m.put(Bidirectional.KIND, new BidirectionalForward());
    m.put(TimeDistributed.KIND, new TimeDistributedForward());
    m.put(Embedding.KIND, new EmbeddingForward());
    m.put(LayerNormalization.KIND, new LayerNormalizationForward());
    m.put(PositionalEncoding.KIND, new PositionalEncodingForward());
    m.put(Attention.KIND, new AttentionForward());
    m.put(MultiHeadAttention.KIND, new MultiHeadAttentionForward());
    m.put(TransformerEncoder.KIND, new TransformerEncoderForward());
    m.put(GlobalAveragePooling.KIND, new GlobalAveragePoolingForward());
    m.put(GlobalMaxPooling.KIND, new GlobalMaxPoolingForward());
    m.put(Flatten.KIND, new FlattenForward());
    m.put(Normalization.KIND, new NormalizationForward());
    FORWARDS = Map.copyOf(m);
  }

  private RefLayers() {}

  /** The layer kinds that have a reference forward. */
  public static Set<String> kinds() {
    return new java.util.TreeSet<>(FORWARDS.keySet());
  }

  /**
   * The forward of a layer's kind.
   *
   * @throws IllegalArgumentException when the kind has none
   */
  @SuppressWarnings("unchecked")
  public static <L extends Layer> RefForward<L> forward(L layer) {
    RefForward<?> f = FORWARDS.get(layer.kind());
    if (f == null) {
      throw new IllegalArgumentException("no reference forward for layer kind '" + layer.kind() + "', expected one of " + kinds());
    }
    return (RefForward<L>) f;
  }
}
