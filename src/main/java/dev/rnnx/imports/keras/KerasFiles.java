package dev.rnnx.imports.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.imports.ImportException;
import dev.rnnx.spec.Budget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * What a Keras file holds once opened, whichever of the three formats it is: the model config, the
 * weights (an open HDF5 file), the recorded Keras version and backend.
 *
 * <pre>
 * keras-h5          legacy HDF5 (Keras 1/2 model.save): root attributes model_config, keras_version,
 *                   backend; weights under model_weights/
 * keras-v3          .keras zip: config.json, metadata.json (keras_version), model.weights.h5
 * keras-weights-h5  weights only (save_weights: legacy or Keras 3 layout) plus a config JSON
 *                   (model.to_json()) given with --config or found beside it
 * </pre>
 *
 * @param format one of the formats above
 * @param config the model config's root object
 * @param weights the open weights file
 * @param version the Keras version recorded
 * @param backend the backend recorded, or {@code unknown}
 */
record KerasFiles(String format, JsonNode config, KerasHdf5 weights, KerasVersion version, String backend) implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Opens {@code file}; {@code configFile} is the config of a weights-only file (or null to look beside it). */
  static KerasFiles open(Path file, Path configFile) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".keras")) {
      return openZip(file);
    }
    KerasHdf5 h5 = KerasHdf5.open(file);
    try {
      String source = file.toString();
      var modelConfig = h5.rootString("model_config");
      String backend = h5.rootString("backend").orElse("unknown");
      if (modelConfig.isPresent() && configFile == null) {
        KerasVersion v = KerasVersion.parse(h5.rootString("keras_version").orElse(null));
        return new KerasFiles("keras-h5", json(source + " (model_config)", modelConfig.get().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            h5, v, backend);
      }
      Path cfg = configFile != null ? configFile : besideConfig(file);
      if (cfg == null) {
        throw new ImportException(source + ": holds weights but no model_config; give the model's config JSON"
            + " (model.to_json()) with --config FILE, or put it beside the file as " + stem(file) + ".json");
      }
      JsonNode config = json(cfg.toString(), readBytes(cfg));
      String recorded = config.path("keras_version").asText(null);
      if (recorded == null) {
        recorded = h5.rootString("keras_version").orElse(h5.hasV3Layout() ? "3" : null);
      }
      return new KerasFiles("keras-weights-h5", config, h5, KerasVersion.parse(recorded), config.path("backend").asText(backend));
    } catch (RuntimeException e) {
      h5.close();
      throw e;
    }
  }

  private static KerasFiles openZip(Path file) {
    String source = file.toString();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      JsonNode config = json(source + "!config.json", entry(zip, source, "config.json"));
      JsonNode meta = zip.getEntry("metadata.json") != null ? json(source + "!metadata.json", entry(zip, source, "metadata.json"))
          : JSON.createObjectNode();
      byte[] weights = entry(zip, source, "model.weights.h5");
      KerasHdf5 h5 = KerasHdf5.fromBytes(source + "!model.weights.h5", weights);
      return new KerasFiles("keras-v3", config, h5, KerasVersion.parse(meta.path("keras_version").asText("3")),
          meta.path("backend").asText(config.path("backend").asText("unknown")));
    } catch (ZipException e) {
      throw new ImportException(source + ": is not a readable zip (" + e.getMessage() + "; a truncated or corrupt file?),"
          + " expected a Keras 3 .keras archive");
    } catch (IOException e) {
      throw new ImportException(source + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  private static byte[] entry(ZipFile zip, String source, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new ImportException(source + ": the .keras archive has no " + name + ", expected config.json, metadata.json and"
          + " model.weights.h5");
    }
    if (e.getSize() > 0) {
      Budget.TENSOR_FILE_BYTES.check(source + "!" + name, e.getSize());
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Budget.TENSOR_FILE_BYTES.limit()) + 1);
      Budget.TENSOR_FILE_BYTES.check(source + "!" + name, bytes.length);
      return bytes;
    } catch (ZipException | java.io.EOFException ex) {
      throw new ImportException(source + ": " + name + " cannot be unpacked (" + ex.getMessage() + "; a truncated archive?)");
    }
  }

  private static Path besideConfig(Path file) {
    String stem = stem(file);
    Path dir = file.toAbsolutePath().getParent();
    for (String candidate : new String[] {stem + ".json", stem + ".config.json", "config.json"}) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    for (String ext : new String[] {".weights.h5", ".h5", ".hdf5"}) {
      if (n.toLowerCase(java.util.Locale.ROOT).endsWith(ext)) {
        return n.substring(0, n.length() - ext.length());
      }
    }
    return n;
  }

  private static byte[] readBytes(Path p) {
    try {
      Budget.TENSOR_FILE_BYTES.check(p.toString(), Files.size(p));
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new ImportException(p + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  private static JsonNode json(String source, byte[] bytes) {
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw new ImportException(source + ": is not a JSON object, expected a Keras model config");
      }
      return n;
    } catch (IOException e) {
      throw new ImportException(source + ": is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  @Override
  public void close() {
    weights.close();
  }
}
