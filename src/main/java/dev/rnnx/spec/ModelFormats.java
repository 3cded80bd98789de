package dev.rnnx.spec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The YAML form of the non-sequential model kinds: {@link Seq2Seq} and {@link Word2Vec}. */
final class ModelFormats {

  private ModelFormats() {}

  static Seq2Seq readSeq2Seq(RecipeNode n, String name) {
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

  static Word2Vec readWord2Vec(RecipeNode n, String name) {
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
    throw new IllegalArgumentException("unknown " + field + " '" + value + "', expected one of " + java.util.Arrays.toString(choices));
  }

  static Map<String, Object> write(ModelSpec model) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", model.kind());
    m.put("name", model.name());
    if (model instanceof Seq2Seq s) {
      m.put("source_vocabulary", s.sourceVocabulary());
      m.put("target_vocabulary", s.targetVocabulary());
      m.put("embedding_dim", s.embeddingDim());
      m.put("max_source_length", s.maxSourceLength());
      m.put("max_target_length", s.maxTargetLength());
      m.put("encoder", writePart(s.encoder()));
      m.put("decoder", writePart(s.decoder()));
    } else if (model instanceof Word2Vec w) {
      m.put("vocabulary", w.vocabulary());
      m.put("dimension", w.dimension());
      m.put("architecture", w.architecture().recipeName());
      m.put("window", w.window());
      m.put("objective", w.objective().recipeName());
      m.put("negatives", w.negatives());
    }
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
