package dev.rnnx.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML codec of every layer kind: one reader and one writer per kind, in one table keyed by
 * the kind (a new kind adds one entry; {@link RecipeCodec#layerKinds()} lists the keys). Field
 * names are the records' components in snake case; omitted fields take Keras's defaults.
 */
final class LayerCodec {

  private static final Map<String, KindCodec<Layer>> CODECS = new LinkedHashMap<>();

  static {
    CODECS.put(Dense.KIND, new KindCodec<>(LayerCodec::readDense, l -> writeDense((Dense) l)));
    CODECS.put(SimpleRnn.KIND, new KindCodec<>(
        (n, name) -> readRecurrent(n, SimpleRnn.builder(name, n.integer("units"))).build(),
        l -> writeRecurrent((RecurrentLayer) l)));
    CODECS.put(Lstm.KIND, new KindCodec<>(
        (n, name) -> {
          Lstm.Builder b = readRecurrent(n, Lstm.builder(name, n.integer("units")));
          return b.recurrentActivation(activation(n, "recurrent_activation", "sigmoid"))
              .unitForgetBias(n.bool("unit_forget_bias", true))
              .peephole(n.bool("peephole", false))
              .build();
        },
        l -> {
          Lstm s = (Lstm) l;
          Map<String, Object> m = writeRecurrent(s);
          m.put("recurrent_activation", s.recurrentActivation().recipeName());
          m.put("unit_forget_bias", s.unitForgetBias());
          m.put("peephole", s.peephole());
          return m;
        }));
    CODECS.put(Gru.KIND, new KindCodec<>(
        (n, name) -> {
          Gru.Builder b = readRecurrent(n, Gru.builder(name, n.integer("units")));
          return b.recurrentActivation(activation(n, "recurrent_activation", "sigmoid"))
              .resetAfter(n.bool("reset_after", true))
              .build();
        },
        l -> {
          Gru g = (Gru) l;
          Map<String, Object> m = writeRecurrent(g);
          m.put("recurrent_activation", g.recurrentActivation().recipeName());
          m.put("reset_after", g.resetAfter());
          return m;
        }));
    CODECS.put(Bidirectional.KIND, new KindCodec<>(
        (n, name) -> {
          Layer inner = readNested(n, "layer", name);
          if (!(inner instanceof RecurrentLayer r)) {
            throw n.error("layer", "bidirectional wraps a recurrent layer, got '" + inner.kind()
                + "', expected one of [simple_rnn, lstm, gru]");
          }
          return new Bidirectional(name, r, n.parse("merge_mode", n.string("merge_mode", "concat"), MergeMode::fromName));
        },
        l -> {
          Bidirectional b = (Bidirectional) l;
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("merge_mode", b.mergeMode().recipeName());
          m.put("layer", write(b.layer()));
          return m;
        }));
    CODECS.put(TimeDistributed.KIND, new KindCodec<>(
        (n, name) -> {
          Layer inner = readNested(n, "layer", name);
          if (!(inner instanceof Dense d)) {
            throw n.error("layer", "time_distributed wraps a dense layer, got '" + inner.kind() + "'");
          }
          return new TimeDistributed(name, d);
        },
        l -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("layer", write(((TimeDistributed) l).layer()));
          return m;
        }));
    CODECS.put(Embedding.KIND, new KindCodec<>(
        (n, name) -> new Embedding(name, n.integer("input_dim"), n.integer("output_dim"),
            initializer(n, "initializer", Initializer.EMBEDDING)),
        l -> {
          Embedding e = (Embedding) l;
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("input_dim", e.inputDim());
          m.put("output_dim", e.outputDim());
          m.put("initializer", writeInitializer(e.initializer()));
          return m;
        }));
  }

  static {
    CODECS.put(LayerNormalization.KIND, new KindCodec<>(
        (n, name) -> new LayerNormalization(name, n.number("epsilon", 1e-3), n.bool("center", true), n.bool("scale", true)),
        l -> {
          LayerNormalization ln = (LayerNormalization) l;
          return map("epsilon", ln.epsilon(), "center", ln.center(), "scale", ln.scale());
        }));
    CODECS.put(PositionalEncoding.KIND, new KindCodec<>(
        (n, name) -> new PositionalEncoding(name, n.integer("max_length"), n.bool("scale_input", false)),
        l -> {
          PositionalEncoding pe = (PositionalEncoding) l;
          return map("max_length", pe.maxLength(), "scale_input", pe.scaleInput());
        }));
    CODECS.put(Attention.KIND, new KindCodec<>(
        (n, name) -> new Attention(name, n.parse("score", n.string("score"), AttentionScore::fromName), n.integer("units", 0),
            n.bool("causal", false)),
        l -> {
          Attention a = (Attention) l;
          return map("score", a.score().recipeName(), "units", a.units(), "causal", a.causal());
        }));
    CODECS.put(MultiHeadAttention.KIND, new KindCodec<>(
        (n, name) -> new MultiHeadAttention(name, n.integer("heads"), n.integer("key_dim"), n.bool("causal", false)),
        l -> {
          MultiHeadAttention a = (MultiHeadAttention) l;
          return map("heads", a.heads(), "key_dim", a.keyDim(), "causal", a.causal());
        }));
    CODECS.put(TransformerEncoder.KIND, new KindCodec<>(
        (n, name) -> new TransformerEncoder(name, n.integer("heads"), n.integer("ff_dim"), n.number("epsilon", 1e-5),
            n.bool("causal", false), n.bool("norm_first", false),
            n.parse("activation", n.string("activation", "relu"), FeedForwardActivation::fromName)),
        l -> {
          TransformerEncoder t = (TransformerEncoder) l;
          Map<String, Object> m = map("heads", t.heads(), "ff_dim", t.ffDim(), "epsilon", t.epsilon(), "causal", t.causal());
          // written only when not the default, so that post-norm relu recipes read as before
          if (t.normFirst()) {
            m.put("norm_first", true);
          }
          if (t.activation() != FeedForwardActivation.RELU) {
            m.put("activation", t.activation().recipeName());
          }
          return m;
        }));
    CODECS.put(GlobalAveragePooling.KIND, new KindCodec<>((n, name) -> new GlobalAveragePooling(name), l -> new LinkedHashMap<>()));
    CODECS.put(GlobalMaxPooling.KIND, new KindCodec<>((n, name) -> new GlobalMaxPooling(name), l -> new LinkedHashMap<>()));
    CODECS.put(Flatten.KIND, new KindCodec<>((n, name) -> new Flatten(name, n.integer("steps")), l -> map("steps", ((Flatten) l).steps())));
    CODECS.put(Normalization.KIND, new KindCodec<>(
        (n, name) -> new Normalization(name, n.numbers("mean"), n.numbers("variance"), n.bool("invert", false)),
        l -> {
          Normalization z = (Normalization) l;
          return map("mean", z.mean(), "variance", z.variance(), "invert", z.invert());
        }));
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private LayerCodec() {}

  static List<String> kinds() {
    return List.copyOf(CODECS.keySet());
  }

  /** Reads one top-level layer; unnamed layers are named Keras-style ({@code lstm}, {@code lstm_1}, …). */
  static Layer read(RecipeNode item, Map<String, Integer> counts) {
    String type = item.string("type");
    KindCodec<Layer> codec = codec(item, type);
    int index = counts.merge(type, 1, Integer::sum) - 1;
    String name = item.string("name", index == 0 ? type : type + "_" + index);
    Layer layer = RecipeCodec.checked(item, () -> codec.reader().read(item, name));
    item.rejectUnknown();
    return layer;
  }

  private static Layer readNested(RecipeNode n, String key, String outerName) {
    RecipeNode inner = n.child(key);
    String type = inner.string("type");
    KindCodec<Layer> codec = codec(inner, type);
    String name = inner.string("name", outerName + "_" + type);
    Layer layer = RecipeCodec.checked(inner, () -> codec.reader().read(inner, name));
    inner.rejectUnknown();
    return layer;
  }

  private static KindCodec<Layer> codec(RecipeNode item, String type) {
    KindCodec<Layer> codec = CODECS.get(type);
    if (codec == null) {
      throw item.error("type", "unknown layer type '" + type + "', expected one of " + kinds());
    }
    return codec;
  }

  /** The same layer under another name (nested layers named after it as a recipe would name them). */
  static Layer renamed(Layer layer, String name) {
    Map<String, Object> m = write(layer);
    m.put("name", name);
    com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(m);
    return read(new RecipeNode("layer '" + layer.name() + "'", "layer", tree), new java.util.HashMap<>());
  }

  /** The YAML mapping of a layer. */
  static Map<String, Object> write(Layer layer) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", layer.kind());
    m.put("name", layer.name());
    m.putAll(CODECS.get(layer.kind()).writer().write(layer));
    return m;
  }

  private static Dense readDense(RecipeNode n, String name) {
    return new Dense(name, n.integer("units"), activation(n, "activation", "linear"), n.bool("use_bias", true),
        initializer(n, "kernel_initializer", Initializer.GLOROT_UNIFORM), initializer(n, "bias_initializer", Initializer.ZEROS));
  }

  private static Map<String, Object> writeDense(Dense d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("units", d.units());
    m.put("activation", d.activation().recipeName());
    m.put("use_bias", d.useBias());
    m.put("kernel_initializer", writeInitializer(d.kernelInitializer()));
    m.put("bias_initializer", writeInitializer(d.biasInitializer()));
    return m;
  }

  private static <B extends RecurrentBuilder<B>> B readRecurrent(RecipeNode n, B b) {
    return b.returnSequences(n.bool("return_sequences", false))
        .returnState(n.bool("return_state", false))
        .goBackwards(n.bool("go_backwards", false))
        .stateInputs(n.bool("state_inputs", false))
        .useBias(n.bool("use_bias", true))
        .activation(activation(n, "activation", "tanh"))
        .initializers(initializer(n, "kernel_initializer", Initializer.GLOROT_UNIFORM),
            initializer(n, "recurrent_initializer", Initializer.ORTHOGONAL),
            initializer(n, "bias_initializer", Initializer.ZEROS));
  }

  private static Map<String, Object> writeRecurrent(RecurrentLayer r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("units", r.units());
    m.put("return_sequences", r.returnSequences());
    m.put("return_state", r.returnState());
    m.put("go_backwards", r.goBackwards());
    m.put("state_inputs", r.stateInputs());
    m.put("use_bias", r.useBias());
    m.put("activation", r.activation().recipeName());
    m.put("kernel_initializer", writeInitializer(r.kernelInitializer()));
    m.put("recurrent_initializer", writeInitializer(r.recurrentInitializer()));
    m.put("bias_initializer", writeInitializer(r.biasInitializer()));
    return m;
  }

  private static Activation activation(RecipeNode n, String key, String fallback) {
    return n.parse(key, n.string(key, fallback), Activation::fromName);
  }

  /** An initializer: a kind name, or a mapping {@code {type, std | limit | gain}}. */
  private static Initializer initializer(RecipeNode n, String key, Initializer fallback) {
    JsonNode raw = n.raw(key);
    if (raw == null) {
      return fallback;
    }
    if (raw.isTextual()) {
      Initializer.Kind kind = n.parse(key, raw.asText(), Initializer::kind);
      return RecipeCodec.checked(n, () -> Initializer.of(kind));
    }
    RecipeNode m = n.childOf(key, raw);
    Initializer.Kind kind = m.parse("type", m.string("type"), Initializer::kind);
    String scaleKey = scaleKey(kind);
    Initializer init = RecipeCodec.checked(m, () -> new Initializer(kind, scaleKey == null ? 1 : m.number(scaleKey, 1.0)));
    m.rejectUnknown();
    return init;
  }

  private static String scaleKey(Initializer.Kind kind) {
    return switch (kind) {
      case NORMAL -> "std";
      case UNIFORM -> "limit";
      case ORTHOGONAL -> "gain";
      default -> null;
    };
  }

  private static Object writeInitializer(Initializer init) {
    String scaleKey = scaleKey(init.kind());
    if (scaleKey == null) {
      return init.kind().recipeName();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", init.kind().recipeName());
    m.put(scaleKey, init.scale());
    return m;
  }
}
