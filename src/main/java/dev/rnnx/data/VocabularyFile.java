package dev.rnnx.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.StrictParsing;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.RunFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The token tables a run needs at inference time, written beside its models as
 * {@code vocabulary.json}: {@code {"tokenization": "characters" | "words", "source": [...],
 * "target": [...]}} (a word2vec run has one table, as {@code source} and {@code target} alike).
 * Each list holds every token by id, the four special tokens first. A character-level model also
 * records {@code "source_words"}: the distinct space-separated words of its training sources, so
 * that an input made of known characters but unseen words (e.g. {@code hello} to a dates model)
 * can be flagged; a character vocabulary alone cannot tell. A run trained on a text corpus also
 * records each side's {@link TextTokenizer} ({@code "source_tokenizer"}/{@code "target_tokenizer"}:
 * {@code {"kind": "kuromoji", "lowercase": false}}), so inference splits raw input and joins the
 * output exactly as the corpus was tokenised.
 *
 * @param tokenization how text is split: into characters or into space-separated words
 * @param source the source (or only) vocabulary
 * @param target the target vocabulary
 * @param sourceWords the training sources' distinct words, as the vocabulary reads them; empty when
 *     not recorded (word-level models, whose unknown tokens are words already, and older run folders)
 * @param sourceTokenizer how source text is split, or {@code null}: then by {@code tokenization}, lower-cased when the
 *     source vocabulary is lower case
 * @param targetTokenizer how output tokens are joined, or {@code null}: then by {@code tokenization}
 */
public record VocabularyFile(String tokenization, Vocabulary source, Vocabulary target, List<String> sourceWords,
    TextTokenizer sourceTokenizer, TextTokenizer targetTokenizer) {

  /** The most training-source words recorded; beyond it the check is left out. */
  public static final int MAX_SOURCE_WORDS = 100_000;

  /** The file name inside a run folder. */
  public static final String NAME = "vocabulary.json";
  /** Text split into characters. */
  public static final String CHARACTERS = "characters";
  /** Text split at spaces. */
  public static final String WORDS = "words";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Validates the tokenization; copies the words. */
  public VocabularyFile {
    if (!CHARACTERS.equals(tokenization) && !WORDS.equals(tokenization)) {
      throw new IllegalArgumentException("tokenization '" + tokenization + "', expected characters or words");
    }
    sourceWords = sourceWords == null ? List.of() : List.copyOf(sourceWords);
  }

  /** Tables without recorded source words. */
  public VocabularyFile(String tokenization, Vocabulary source, Vocabulary target) {
    this(tokenization, source, target, List.of());
  }

  /** Tables without recorded tokenizers (split and joined by {@code tokenization}). */
  public VocabularyFile(String tokenization, Vocabulary source, Vocabulary target, List<String> sourceWords) {
    this(tokenization, source, target, sourceWords, null, null);
  }

  /** The same tables with each side's tokenizer recorded. */
  public VocabularyFile withTokenizers(TextTokenizer sourceSide, TextTokenizer targetSide) {
    return new VocabularyFile(tokenization, source, target, sourceWords, sourceSide, targetSide);
  }

  /**
   * The source tokens of a raw input text: split by the recorded source tokenizer, or else as
   * {@link #split} does after {@link Vocabulary#normalise}.
   */
  public List<String> sourceTokens(String text) {
    return sourceTokenizer != null ? sourceTokenizer.tokens(text) : split(source.normalise(text));
  }

  /**
   * The same tables with the distinct space-separated words of the training sources recorded
   * (normalised as the source vocabulary reads text), or none when there are more than
   * {@link #MAX_SOURCE_WORDS}.
   */
  public VocabularyFile withSourceWords(List<String> trainingSources) {
    Set<String> words = new TreeSet<>();
    for (String text : trainingSources) {
      words.addAll(spaceSeparated(source.normalise(text)));
      if (words.size() > MAX_SOURCE_WORDS) {
        return this;
      }
    }
    return new VocabularyFile(tokenization, source, target, List.copyOf(words), sourceTokenizer, targetTokenizer);
  }

  /**
   * The words of {@code text} (normalised as the source vocabulary reads it) that never occur in the
   * training sources; empty when no source words are recorded.
   */
  public List<String> unseenWords(String text) {
    if (sourceWords.isEmpty()) {
      return List.of();
    }
    Set<String> known = Set.copyOf(sourceWords);
    return spaceSeparated(source.normalise(text)).stream().filter(w -> !known.contains(w)).toList();
  }

  /** The space-separated words of {@code text}, as the source vocabulary reads it. */
  public List<String> words(String text) {
    return spaceSeparated(source.normalise(text));
  }

  private static List<String> spaceSeparated(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  /** Splits text into tokens the way this vocabulary was built. */
  public List<String> split(String text) {
    if (CHARACTERS.equals(tokenization)) {
      return text.chars().mapToObj(c -> String.valueOf((char) c)).toList();
    }
    return spaceSeparated(text);
  }

  /** Joins target tokens back into text (up to EOS, padding and BOS left out), as the target tokenizer joins them. */
  public String join(long[] ids) {
    if (targetTokenizer == null) {
      return target.decode(ids, CHARACTERS.equals(tokenization) ? "" : " ");
    }
    List<String> tokens = new ArrayList<>();
    for (long id : ids) {
      if (id == SpecialTokens.EOS) {
        break;
      }
      if (id != SpecialTokens.PAD && id != SpecialTokens.BOS) {
        tokens.add(target.token((int) id));
      }
    }
    return targetTokenizer.join(tokens);
  }

  /** Writes the file atomically into {@code dir}. */
  public void write(Path dir) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokenization", tokenization);
    m.put("source", source.tokens());
    m.put("target", target.tokens());
    if (!sourceWords.isEmpty()) {
      m.put("source_words", sourceWords);
    }
    if (sourceTokenizer != null && targetTokenizer != null) {
      m.put("source_tokenizer", tokenizerJson(sourceTokenizer));
      m.put("target_tokenizer", tokenizerJson(targetTokenizer));
    }
    AtomicFiles.write(dir.resolve(NAME), JSON.writeValueAsBytes(m));
  }

  /**
   * Reads {@code dir/vocabulary.json}.
   *
   * @throws IllegalArgumentException when it is missing or malformed
   */
  public static VocabularyFile read(Path dir) {
    Path file = dir.resolve(NAME);
    RunFiles.requireRegular(file, "the vocabulary of a seq2seq or word2vec run");
    JsonNode root = StrictParsing.readJson(file);
    if (root == null || !root.path("source").isArray() || !root.path("target").isArray() || !root.path("tokenization").isTextual()) {
      throw new IllegalArgumentException(file + ": expected {\"tokenization\", \"source\": [...], \"target\": [...]}");
    }
    try {
      List<String> words = new ArrayList<>();
      if (root.has("source_words")) {
        if (!root.get("source_words").isArray()) {
          throw new IllegalArgumentException("\"source_words\" must be a list of words");
        }
        words.addAll(strings("source_words", root.get("source_words")));
      }
      return new VocabularyFile(root.get("tokenization").asText(), table("source", root.get("source")),
          table("target", root.get("target")), words, tokenizer(root, "source_tokenizer"), tokenizer(root, "target_tokenizer"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> tokenizerJson(TextTokenizer t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", t.kind().recipeName());
    m.put("lowercase", t.lowercase());
    return m;
  }

  private static TextTokenizer tokenizer(JsonNode root, String key) {
    if (!root.has(key)) {
      return null;
    }
    JsonNode t = root.get(key);
    if (!t.path("kind").isTextual() || !t.path("lowercase").isBoolean()) {
      throw new IllegalArgumentException("\"" + key + "\" is " + t + ", expected {\"kind\": \"whitespace\" | \"char\" | \"kuromoji\", \"lowercase\": true | false}");
    }
    return new TextTokenizer(ParallelTextTask.Tokenizer.fromName(t.get("kind").asText()), t.get("lowercase").asBoolean());
  }

  private static Vocabulary table(String key, JsonNode list) {
    return Vocabulary.ofTokensById(strings(key, list));
  }

  private static List<String> strings(String key, JsonNode list) {
    List<String> all = new ArrayList<>();
    for (JsonNode t : list) {
      if (!t.isTextual()) {
        throw new IllegalArgumentException("\"" + key + "\"[" + all.size() + "] is " + t + ", expected a string");
      }
      all.add(t.asText());
    }
    return all;
  }
}
