package dev.rnnx.tf;

import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.SimpleRnn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table of TensorFlow builders, one per layer kind. */
public final class TfLayers {

  private static final Map<String, TfLayerBuilder> BUILDERS = new LinkedHashMap<>();

  static {
    register(new DenseBuilder());
    register(new RecurrentLayerBuilder(SimpleRnn.KIND));
    register(new RecurrentLayerBuilder(Lstm.KIND));
    register(new RecurrentLayerBuilder(Gru.KIND));
    register(new BidirectionalBuilder());
    register(new TimeDistributedBuilder());
    register(new EmbeddingBuilder());
    register(new LayerNormalizationBuilder());
    register(new PositionalEncodingBuilder());
    register(new AttentionBuilder());
    register(new MultiHeadAttentionBuilder());
    register(new TransformerEncoderBuilder());
    register(new GlobalAveragePoolingBuilder());
    register(new GlobalMaxPoolingBuilder());
    register(new FlattenBuilder());
    register(new NormalizationBuilder());
  }

  private TfLayers() {}

  private static void register(TfLayerBuilder builder) {
    if (BUILDERS.putIfAbsent(builder.kind(), builder) != null) {
      throw new IllegalStateException("two TensorFlow builders for layer kind '" + builder.kind() + "'");
    }
  }

  /** The layer kinds with a builder. */
  public static List<String> kinds() {
    return List.copyOf(BUILDERS.keySet());
  }

  /**
   * The builder of a layer kind.
   *
   * @throws IllegalArgumentException naming the kind and the supported ones
   */
  public static TfLayerBuilder builder(String kind) {
    TfLayerBuilder builder = BUILDERS.get(kind);
    if (builder == null) {
      throw new IllegalArgumentException("no TensorFlow builder for layer kind '" + kind + "', expected one of " + kinds());
    }
    return builder;
  }
}
