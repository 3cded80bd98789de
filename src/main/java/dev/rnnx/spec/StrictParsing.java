package dev.rnnx.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one configuration of every JSON and YAML file rnnx reads (input tensors, vocabularies,
 * recipes, its own YAML tables): a key given twice in one object and any content after the root
 * value are refused rather than silently resolved, and a parse error becomes one line naming the
 * position and what was expected, e.g. {@code duplicate key 'input' at line 1, column 30, expected
 * each key once}.
 */
public final class StrictParsing {

  private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();

  private StrictParsing() {}

  /** Applies the strict reading features to a mapper builder (JSON or YAML). */
  public static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Reads one JSON file strictly.
   *
   * @throws IllegalArgumentException {@code <file>: does not exist …}, {@code <file>: cannot be
   *     read …} or {@code <file>: is not valid JSON: <problem>}
   */
  public static JsonNode readJson(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file does not exist, expected a JSON file");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || root.isMissingNode()) {
        throw new IllegalArgumentException(file + ": is not valid JSON: the file is empty, expected a JSON value");
      }
      return root;
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": is not valid JSON: " + problem(e));
    }
  }

  /**
   * One line for a parse error: what is wrong, where (line and column) and what was expected;
   * Jackson's own text without the excerpts of the file a YAML error quotes.
   */
  public static String problem(IOException e) {
    String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    // a YAML message quotes the text under each of its sentences: keep the sentences
    message = message == null ? e.getClass().getSimpleName()
        : String.join("; ", message.lines().filter(l -> !l.isBlank() && !l.startsWith(" ")).map(String::strip).toList());
    String at = "";
    if (e instanceof JsonProcessingException p && p.getLocation() != null && p.getLocation().getLineNr() > 0) {
      at = " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr();
    }
    String key = duplicateKey(e);
    if (key != null) {
      return "duplicate key '" + key + "'" + at + ", expected each key once";
    }
    if (e instanceof MismatchedInputException && message.startsWith("Trailing token")) {
      return "content after the root value" + at + ", expected the end of the file";
    }
    return message.replaceAll("\\s*\\(for \\w+ starting at \\[Source:.*$", "") + at;
  }

  /** The key a duplicate-key error names, or {@code null} for any other error. */
  public static String duplicateKey(IOException e) {
    String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : null;
    if (message == null || !message.startsWith("Duplicate field '")) {
      return null;
    }
    return message.substring("Duplicate field '".length(), message.lastIndexOf('\''));
  }

  /**
   * The dotted path ({@code model.layers[0].units}) of the key a duplicate-key error names, or
   * {@code null} for any other error.
   */
  public static String duplicatePath(IOException e) {
    if (duplicateKey(e) == null || !(e instanceof JsonProcessingException p)
        || !(p.getProcessor() instanceof JsonParser parser)) {
      return null;
    }
    StringBuilder path = new StringBuilder();
    for (JsonPointer at = parser.getParsingContext().pathAsPointer(); !at.matches(); at = at.tail()) {
      if (at.mayMatchElement()) {
        path.append('[').append(at.getMatchingIndex()).append(']');
      } else {
        path.append(path.isEmpty() ? "" : ".").append(at.getMatchingProperty());
      }
    }
    return path.toString();
  }
}
