package dev.rnnx.tf;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.spec.TransformerEncoder;
import java.util.ArrayList;
import java.util.List;

/** Models of the attention family for the parity tests: every new layer kind and option, with and without lengths. */
final class AttentionModels {

  private AttentionModels() {}

  private static final ModelInput F4 = ModelInput.ofFeatures(4);

  private static Sequential model(String name, Layer... layers) {
    return new Sequential(name, F4, List.of(layers));
  }

  /** Every case, each with and without lengths. */
  static List<Sequential> all() {
    List<Sequential> base = new ArrayList<>();
    for (boolean center : new boolean[] {true, false}) {
      for (boolean scale : new boolean[] {true, false}) {
        base.add(model("layer_norm_" + center + "_" + scale, new LayerNormalization("norm", 1e-3, center, scale)));
      }
    }
    base.add(model("positions_scaled", new PositionalEncoding("pe", 40, true)));
    base.add(model("positions", new PositionalEncoding("pe", 30, false)));
    for (AttentionScore score : AttentionScore.values()) {
      for (boolean causal : new boolean[] {false, true}) {
        base.add(model("attention_" + score.recipeName() + (causal ? "_causal" : ""), new Attention("att", score, 5, causal)));
      }
    }
    base.add(model("mha_one_head", new MultiHeadAttention("mha", 1, 3, false)));
    base.add(model("mha_three_heads", new MultiHeadAttention("mha", 3, 2, false)));
    base.add(model("mha_causal", new MultiHeadAttention("mha", 2, 4, true)));
    base.add(model("encoder_one_head", new TransformerEncoder("block", 1, 6, 1e-5, false)));
    base.add(model("encoder_two_heads_causal", new TransformerEncoder("block", 2, 5, 1e-3, true)));
    base.add(model("encoder_norm_first_gelu", new TransformerEncoder("block", 2, 6, 1e-5, false, true, FeedForwardActivation.GELU)));
    base.add(model("pooling", new GlobalAveragePooling("pool")));
    base.add(model("stack", new TimeDistributed("proj", new Dense("inner", 6, Activation.LINEAR, true)),
        new PositionalEncoding("pe", 40, true), new TransformerEncoder("block_0", 3, 8, 1e-3, false),
        new TransformerEncoder("block_1", 2, 8, 1e-3, false), new LayerNormalization("norm", 1e-3, true, true),
        new GlobalAveragePooling("pool"), new Dense("out", 3, Activation.SOFTMAX, true)));
    base.add(model("recurrent_then_attention", Gru.builder("gru", 5).returnSequences(true).build(),
        new Attention("att", AttentionScore.ADDITIVE, 4, false), new MultiHeadAttention("mha", 2, 3, true),
        new TimeDistributed("out", new Dense("inner", 2, Activation.SOFTMAX, true))));
    List<Sequential> all = new ArrayList<>();
    for (Sequential m : base) {
      all.add(m);
      all.add(new Sequential(m.name() + "_lengths", F4.withLengths(), m.layers()));
    }
    all.add(new Sequential("tokens_lengths", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("embed", 13, 4, Initializer.EMBEDDING), new PositionalEncoding("pe", 40, true),
        new TransformerEncoder("block", 2, 8, 1e-3, false), new GlobalAveragePooling("pool"),
        new Dense("out", 2, Activation.SOFTMAX, true))));
    return all;
  }
}
