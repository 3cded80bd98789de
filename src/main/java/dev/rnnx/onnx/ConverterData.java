package dev.rnnx.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rnnx.spec.StrictParsing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the conversion rules of the top-level {@code converters/} folder, which the build puts on
 * the classpath under {@code converters/}.
 */
final class ConverterData {

  /** Classpath folder of the rule files. */
  static final String FOLDER = "converters/";

  private static final ObjectMapper YAML = StrictParsing.configure(YAMLMapper.builder()).build();

  private ConverterData() {}

  /**
   * Parses one rule file.
   *
   * @param file the file name inside {@code converters/}, e.g. {@code gate-orders.yaml}
   * @throws IllegalStateException when the file is not on the classpath or is not YAML
   */
  static JsonNode read(String file) {
    String resource = FOLDER + file;
    try (InputStream in = ConverterData.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource '" + resource + "' is missing; the build must copy the"
            + " top-level converters/ folder to the classpath (pom.xml <resources>)");
      }
      return parse(in, resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath resource '" + resource + "'", e);
    }
  }

  /** Parses YAML text, naming {@code source} in errors. */
  static JsonNode parse(InputStream in, String source) throws IOException {
    JsonNode root = YAML.readTree(in);
    if (root == null || !root.isObject()) {
      throw new IllegalStateException(source + ": expected a YAML mapping at the top level");
    }
    return root;
  }

  /** A required child of a mapping, or an error naming the file and the path. */
  static JsonNode required(JsonNode node, String key, String source, String path) {
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      throw new IllegalStateException(source + ": '" + (path.isEmpty() ? key : path + "." + key) + "' is missing");
    }
    return child;
  }

  /** A required integer child. */
  static int requiredInt(JsonNode node, String key, String source, String path) {
    JsonNode child = required(node, key, source, path);
    if (!child.isIntegralNumber()) {
      throw new IllegalStateException(source + ": '" + path + "." + key + "' is " + child + ", expected an integer");
    }
    return child.asInt();
  }
}
