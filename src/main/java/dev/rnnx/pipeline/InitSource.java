package dev.rnnx.pipeline;

import dev.rnnx.spec.ImportedTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.RunFiles;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights a fine-tuning run starts from ({@code rnnx run RECIPE --init-from DIR}) and where
 * they came from, for {@code report.json}'s {@code data.init_from}: the folder, the SHA-256 of its
 * {@code weights.safetensors}, the recipe recorded in it, and, for a folder written by
 * {@code rnnx import}, the imported file, its SHA-256, format, framework and version.
 *
 * @param weights the folder's weights
 * @param source where they came from, in a fixed key order
 */
public record InitSource(Weights weights, Map<String, String> source) {

  /**
   * Reads a run folder's weights and provenance.
   *
   * @throws IllegalArgumentException naming the file when the weights are missing or not a safetensors file
   */
  public static InitSource read(Path dir) {
    Path file = dir.resolve("weights.safetensors");
    byte[] bytes = RunFiles.readAll(file, "the weights of a folder written by 'rnnx import' or 'rnnx run' (--init-from)");
    Safetensors.Contents contents = Safetensors.decode(bytes, file.toString());
    Map<String, String> source = new LinkedHashMap<>();
    source.put("folder", dir.toString());
    source.put("weights_sha256", sha256(bytes));
    try {
      Provenance p = Provenance.fromMetadata(contents.metadata());
      source.put("recipe", p.recipe());
      Recipe recipe = RecipeCodec.parse(p.recipeYaml(), file.toString());
      if (recipe.data() instanceof ImportedTask t) {
        source.put("imported_from", t.source());
        source.put("imported_sha256", t.sha256());
        source.put("format", t.format());
        source.put("framework", t.framework());
        source.put("framework_version", t.frameworkVersion());
      }
    } catch (IllegalArgumentException e) {
      source.put("recipe", "unknown (" + e.getMessage() + ")"); // weights without rnnx provenance still fine-tune
    }
    return new InitSource(contents.weights(), source);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
