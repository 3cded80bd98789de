package dev.rnnx.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token tables a run needs at inference time, written beside its models as
 * {@code vocabulary.json}: {@code {"tokenization": "characters" | "words", "source": [...],
 * "target": [...]}} (a word2vec run has one table, as {@code source} and {@code target} alike).
 * Each list holds every token by id, the four special tokens first.
 *
 * @param tokenization how text is split: into characters or into space-separated words
 * @param source the source (or only) vocabulary
 * @param target the target vocabulary
 */
public record VocabularyFile(String tokenization, Vocabulary source, Vocabulary target) {

  /** The file name inside a run folder. */
  public static final String NAME = "vocabulary.json";
  /** Text split into characters. */
  public static final String CHARACTERS = "characters";
  /** Text split at spaces. */
  public static final String WORDS = "words";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Validates the tokenization. */
  public VocabularyFile {
    if (!CHARACTERS.equals(tokenization) && !WORDS.equals(tokenization)) {
      throw new IllegalArgumentException("tokenization '" + tokenization + "', expected characters or words");
    }
  }

  /** Splits text into tokens the way this vocabulary was built. */
  public List<String> split(String text) {
    if (CHARACTERS.equals(tokenization)) {
      return text.chars().mapToObj(c -> String.valueOf((char) c)).toList();
    }
    List<String> words = new ArrayList<>();
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  /** Joins target tokens back into text. */
  public String join(long[] ids) {
    return target.decode(ids, CHARACTERS.equals(tokenization) ? "" : " ");
  }

  /** Writes the file atomically into {@code dir}. */
  public void write(Path dir) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokenization", tokenization);
    m.put("source", source.tokens());
    m.put("target", target.tokens());
    AtomicFiles.write(dir.resolve(NAME), JSON.writeValueAsBytes(m));
  }

  /**
   * Reads {@code dir/vocabulary.json}.
   *
   * @throws IllegalArgumentException when it is missing or malformed
   */
  public static VocabularyFile read(Path dir) {
    Path file = dir.resolve(NAME);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file does not exist, expected the vocabulary of a seq2seq or word2vec run");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read as JSON (" + e.getMessage() + ")");
    }
    if (root == null || !root.path("source").isArray() || !root.path("target").isArray() || !root.path("tokenization").isTextual()) {
      throw new IllegalArgumentException(file + ": expected {\"tokenization\", \"source\": [...], \"target\": [...]}");
    }
    try {
      return new VocabularyFile(root.get("tokenization").asText(), table(root.get("source")), table(root.get("target")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static Vocabulary table(JsonNode list) {
    List<String> all = new ArrayList<>();
    list.forEach(t -> all.add(t.asText()));
    return Vocabulary.ofTokensById(all);
  }
}
