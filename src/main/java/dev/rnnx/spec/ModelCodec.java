package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The YAML codec of every model kind: one reader and one writer per kind, in one table keyed by
 * the kind (a new kind adds one entry). A sequential model's layers go through {@link LayerCodec}.
 */
final class ModelCodec {

  private static final Map<String, KindCodec<ModelSpec>> CODECS = new LinkedHashMap<>();

  static {
    CODECS.put(Sequential.KIND, new KindCodec<>(ModelCodec::readSequential, m -> writeSequential((Sequential) m)));
    CODECS.put(Seq2Seq.KIND, new KindCodec<>(ModelCodec::readSeq2Seq, m -> writeSeq2Seq((Seq2Seq) m)));
    CODECS.put(Word2Vec.KIND, new KindCodec<>(ModelCodec::readWord2Vec, m -> writeWord2Vec((Word2Vec) m)));
    CODECS.put(Graph.KIND, new KindCodec<>(GraphCodec::read, m -> GraphCodec.write((Graph) m)));
  }

  private ModelCodec() {}

  /** The model kinds recipes may use. */
  static List<String> kinds() {
    return List.copyOf(CODECS.keySet());
  }

  /** Reads a recipe's {@code model} mapping; {@code type} defaults to sequential. */
  static ModelSpec read(RecipeNode n, String defaultName) {
    String type = n.string("type", Sequential.KIND);
    KindCodec<ModelSpec> codec = CODECS.get(type);
    if (codec == null) {
      throw n.error("type", "unknown model type '" + type + "', expected one of " + kinds());
    }
    ModelSpec model = codec.reader().read(n, n.string("name", defaultName));
    n.rejectUnknown();
    return model;
  }

  /** The YAML mapping of a model. */
  static Map<String, Object> write(ModelSpec model) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", model.kind());
    m.put("name", model.name());
    m.putAll(CODECS.get(model.kind()).writer().write(model));
    return m;
  }

  private static Sequential readSequential(RecipeNode n, String name) {
    ModelInput input = readInput(n.child("input"));
    List<RecipeNode> items = n.list("layers");
    if (items.isEmpty()) {
      throw n.error("layers", "is empty, expected at least one layer");
    }
    List<Layer> layers = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (RecipeNode item : items) {
      layers.add(LayerCodec.read(item, counts));
    }
    try {
      return new Sequential(name, input, layers);
    } catch (IllegalArgumentException e) {
      throw n.error("layers", e.getMessage());
    }
  }

  private static ModelInput readInput(RecipeNode n) {
    boolean tokens = n.bool("tokens", false);
    ModelInput input = RecipeCodec.checked(n,
        () -> new ModelInput(tokens, tokens ? 1 : n.integer("features"), n.bool("lengths", false),
            n.number("mask_value", Double.NaN)));
    n.rejectUnknown();
    return input;
  }

  private static Map<String, Object> writeSequential(Sequential s) {
    Map<String, Object> model = new LinkedHashMap<>();
    Map<String, Object> input = new LinkedHashMap<>();
    if (s.input().tokens()) {
      input.put("tokens", true);
    } else {
      input.put("features", s.input().features());
    }
    input.put("lengths", s.input().lengths());
    if (s.input().masked()) {
      input.put("mask_value", s.input().maskValue());
    }
    model.put("input", input);
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Layer layer : s.layers()) {
      layers.add(LayerCodec.write(layer));
    }
    model.put("layers", layers);
    return model;
  }

  private static Seq2Seq readSeq2Seq(RecipeNode n, String name) {
    Seq2SeqPart encoder = readPart(n.child("encoder"), true);
    Seq2SeqPart decoder = readPart(n.child("decoder"), false);
    return RecipeCodec.checked(n, () -> new Seq2Seq(name, n.integer("source_vocabulary"), n.integer("target_vocabulary"),
        n.integer("embedding_dim"), encoder, decoder, n.integer("max_source_length"), n.integer("max_target_length")));
  }

  private static Seq2SeqPart readPart(RecipeNode n, boolean encoder) {
    String type = n.string("type");
    Seq2SeqPart part = switch (type) {
      case "rnn" -> {
        Cell cell = n.parse("cell", n.string("cell"), Cell::fromName);
        if (encoder) {
          yield RecipeCodec.checked(n, () -> new RnnEncoder(cell, n.integer("units")));
        }
        String attention = n.string("attention", "none");
        AttentionScore score = attention.equals("none") ? null : n.parse("attention", attention, AttentionScore::fromName);
        yield RecipeCodec.checked(n, () -> new RnnDecoder(cell, n.integer("units"), score, n.integer("attention_units", 0)));
      }
      case "transformer" -> RecipeCodec.checked(n, () -> new TransformerStack(n.integer("layers"), n.integer("heads"),
          n.integer("ff_dim"), n.number("epsilon", 1e-5)));
      default -> throw n.error("type", "unknown " + (encoder ? "encoder" : "decoder") + " type '" + type
          + "', expected one of [rnn, transformer]");
    };
    n.rejectUnknown();
    return part;
  }

  private static Word2Vec readWord2Vec(RecipeNode n, String name) {
    Word2Vec.Architecture architecture = n.parse("architecture", n.string("architecture"),
        s -> Word2Vec.Architecture.valueOf(checkChoice(s, "architecture", "cbow", "skip_gram")));
    Word2Vec.Objective objective = n.parse("objective", n.string("objective"),
        s -> Word2Vec.Objective.valueOf(checkChoice(s, "objective", "softmax", "negative_sampling")));
    return RecipeCodec.checked(n, () -> new Word2Vec(name, n.integer("vocabulary"), n.integer("dimension"), architecture,
        n.integer("window"), objective, n.integer("negatives", 5)));
  }

  private static String checkChoice(String value, String field, String... choices) {
    for (String c : choices) {
      if (c.equalsIgnoreCase(value)) {
        return c.toUpperCase(Locale.ROOT);
      }
    }
    throw new IllegalArgumentException("unknown " + field + " '" + value + "', expected one of " + Arrays.toString(choices));
  }

  private static Map<String, Object> writeSeq2Seq(Seq2Seq s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source_vocabulary", s.sourceVocabulary());
    m.put("target_vocabulary", s.targetVocabulary());
    m.put("embedding_dim", s.embeddingDim());
    m.put("max_source_length", s.maxSourceLength());
    m.put("max_target_length", s.maxTargetLength());
    m.put("encoder", writePart(s.encoder()));
    m.put("decoder", writePart(s.decoder()));
    return m;
  }

  private static Map<String, Object> writeWord2Vec(Word2Vec w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vocabulary", w.vocabulary());
    m.put("dimension", w.dimension());
    m.put("architecture", w.architecture().recipeName());
    m.put("window", w.window());
    m.put("objective", w.objective().recipeName());
    m.put("negatives", w.negatives());
    return m;
  }

  private static Map<String, Object> writePart(Seq2SeqPart part) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", part.kind());
    if (part instanceof RnnEncoder e) {
      m.put("cell", e.cell().recipeName());
      m.put("units", e.units());
    } else if (part instanceof RnnDecoder d) {
      m.put("cell", d.cell().recipeName());
      m.put("units", d.units());
      m.put("attention", d.attends() ? d.attention().recipeName() : "none");
      m.put("attention_units", d.attentionUnits());
    } else if (part instanceof TransformerStack t) {
      m.put("layers", t.layers());
      m.put("heads", t.heads());
      m.put("ff_dim", t.ffDim());
      m.put("epsilon", t.epsilon());
    }
    return m;
  }
}
