package dev.rnnx.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One YAML mapping of a recipe being read, with its dotted path, so that every error names the
 * field. Reading a key marks it used; {@link #rejectUnknown()} then refuses any key not read, which
 * catches misspelt fields.
 */
final class RecipeNode {

  private final String source;
  private final String path;
  private final JsonNode node;
  private final Set<String> used = new HashSet<>();

  RecipeNode(String source, String path, JsonNode node) {
    this.source = source;
    this.path = path;
    if (node == null || !node.isObject()) {
      throw error("", "expected a mapping of fields, got " + describe(node));
    }
    this.node = node;
  }

  RecipeException error(String key, String problem) {
    return new RecipeException(source, join(key), problem);
  }

  private String join(String key) {
    if (key.isEmpty()) {
      return path;
    }
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  private JsonNode required(String key, String expected) {
    used.add(key);
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      List<String> similar = new ArrayList<>();
      node.fieldNames().forEachRemaining(k -> {
        if (!used.contains(k) && EditDistance.of(k, key) <= 2) {
          similar.add(k);
        }
      });
      throw error(key, "is missing, expected " + expected
          + (similar.isEmpty() ? "" : " (found " + similar + " instead: misspelt?)"));
    }
    return value;
  }

  String string(String key) {
    JsonNode v = required(key, "a string");
    if (!v.isTextual()) {
      throw error(key, "expected a string, got " + describe(v));
    }
    return v.asText();
  }

  String string(String key, String fallback) {
    return has(key) ? string(key) : mark(key, fallback);
  }

  int integer(String key) {
    JsonNode v = required(key, "an integer");
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw error(key, "expected an integer, got " + describe(v));
    }
    return v.asInt();
  }

  int integer(String key, int fallback) {
    return has(key) ? integer(key) : mark(key, fallback);
  }

  long longValue(String key) {
    JsonNode v = required(key, "an integer");
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw error(key, "expected an integer, got " + describe(v));
    }
    return v.asLong();
  }

  double number(String key) {
    JsonNode v = required(key, "a number");
    if (!v.isNumber()) {
      throw error(key, "expected a number, got " + describe(v));
    }
    return v.asDouble();
  }

  double number(String key, double fallback) {
    return has(key) ? number(key) : mark(key, fallback);
  }

  boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return mark(key, fallback);
    }
    JsonNode v = node.get(key);
    used.add(key);
    if (!v.isBoolean()) {
      throw error(key, "expected true or false, got " + describe(v));
    }
    return v.asBoolean();
  }

  /** The raw value of an optional key, marked as read; {@code null} when absent. */
  JsonNode raw(String key) {
    used.add(key);
    return has(key) ? node.get(key) : null;
  }

  /** A child mapping built from a raw node (for values that may be a string or a mapping). */
  RecipeNode childOf(String key, JsonNode value) {
    return new RecipeNode(source, join(key), value);
  }

  /** A list of strings; absent gives an empty list. */
  List<String> strings(String key) {
    used.add(key);
    if (!has(key)) {
      return List.of();
    }
    JsonNode v = node.get(key);
    if (!v.isArray()) {
      throw error(key, "expected a list of strings, got " + describe(v));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw error(key, "expected a list of strings, got an item " + describe(item));
      }
      out.add(item.asText());
    }
    return out;
  }

  /** A list of numbers; absent gives an empty list. */
  List<Double> numbers(String key) {
    used.add(key);
    if (!has(key)) {
      return List.of();
    }
    JsonNode v = node.get(key);
    if (!v.isArray()) {
      throw error(key, "expected a list of numbers, got " + describe(v));
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isNumber()) {
        throw error(key, "expected a list of numbers, got an item " + describe(item));
      }
      out.add(item.asDouble());
    }
    return out;
  }

  /** The keys of this mapping, in the file's order. */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  RecipeNode child(String key) {
    required(key, "a mapping of fields");
    return new RecipeNode(source, join(key), node.get(key));
  }

  List<RecipeNode> list(String key) {
    JsonNode v = required(key, "a list");
    if (!v.isArray()) {
      throw error(key, "expected a list, got " + describe(v));
    }
    List<RecipeNode> items = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      items.add(new RecipeNode(source, join(key) + "[" + i + "]", v.get(i)));
    }
    return items;
  }

  /** Parses a value with a function that throws IllegalArgumentException, re-raised naming the field. */
  <T> T parse(String key, String raw, Function<String, T> parser) {
    try {
      return parser.apply(raw);
    } catch (RecipeException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  void rejectUnknown() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!used.contains(key)) {
        throw error(key, "is not a known field here, expected one of " + used.stream().sorted().toList());
      }
    }
  }

  private <T> T mark(String key, T fallback) {
    used.add(key);
    return fallback;
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isTextual()) {
      return "the string '" + v.asText() + "'";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return "'" + v + "'";
  }
}
