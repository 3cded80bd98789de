package dev.rnnx.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporaries carry one recognisable prefix, stale ones are removed, and what rnnx records is in a canonical order. */
class AtomicFilesTest {

  @Test
  void temporariesCarryTheOnePrefix(@TempDir Path dir) throws Exception {
    Path file = AtomicFiles.tempFile(dir.resolve("loss.png"));
    Path folder = AtomicFiles.tempSibling(dir.resolve("saved_model"));
    assertTrue(file.getFileName().toString().startsWith(".rnnx-tmp-loss.png."), file.toString());
    assertTrue(folder.getFileName().toString().startsWith(".rnnx-tmp-saved_model."), folder.toString());
    assertTrue(Files.isRegularFile(file));
    assertTrue(Files.isDirectory(folder));
    assertEquals(".rnnx-tmp-", AtomicFiles.TEMP_PREFIX);
  }

  @Test
  void staleTemporariesAreRemovedDownToTheDepthAndNothingElse(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("model.onnx"), "keep");
    Files.writeString(dir.resolve(".hidden"), "keep: not rnnx's prefix");
    Files.writeString(dir.resolve(".rnnx-tmp-loss.png.abc.tmp"), "half a png");
    Path savedModel = Files.createDirectories(dir.resolve(".rnnx-tmp-saved_model.xyz/variables"));
    Files.writeString(savedModel.resolve("variables.index"), "half a SavedModel");
    Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    Files.writeString(checkpoints.resolve("checkpoint.json"), "keep");
    Files.writeString(checkpoints.resolve(".rnnx-tmp-epoch-000002.safetensors.q1.tmp"), "half");
    Path deep = Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(deep.resolve(".rnnx-tmp-x.tmp"), "below the depth");

    assertEquals(3, AtomicFiles.removeStale(dir, 2));

    try (Stream<Path> all = Files.walk(dir)) {
      List<String> left = all.map(p -> dir.relativize(p).toString()).filter(s -> !s.isEmpty()).sorted().toList();
      assertEquals(List.of(".hidden", "a", "a/b", "a/b/.rnnx-tmp-x.tmp", "checkpoints", "checkpoints/checkpoint.json",
          "model.onnx"), left);
    }
    assertEquals(1, AtomicFiles.removeStale(dir, 3));
    assertEquals(0, AtomicFiles.removeStale(dir.resolve("missing"), 3));
  }

  @Test
  void aWriteLeavesOnlyItsFile(@TempDir Path dir) throws Exception {
    AtomicFiles.writeString(dir.resolve("report.json"), "{}");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("report.json")), files.toList());
    }
    assertEquals("{}", Files.readString(dir.resolve("report.json"), StandardCharsets.UTF_8));
  }

  @Test
  void metadataInAnyInsertionOrderGivesTheSameSafetensorsBytes() {
    Weights w = new Weights(Map.of("dense/bias", FloatTensor.of(new float[] {0.5f}, 1)));
    Map<String, String> forward = new LinkedHashMap<>();
    Map<String, String> backward = new LinkedHashMap<>();
    List<String> keys = List.of("rnnx.seed", "rnnx.recipe", "format", "epoch", "rnnx.version.tensorflow");
    keys.forEach(k -> forward.put(k, k + "-value"));
    for (int i = keys.size() - 1; i >= 0; i--) {
      backward.put(keys.get(i), keys.get(i) + "-value");
    }
    byte[] a = Safetensors.encode(w, forward);
    assertArrayEquals(a, Safetensors.encode(w, backward));
    assertEquals(List.copyOf(new TreeMap<>(forward).keySet()),
        List.copyOf(Safetensors.decode(a, "a").metadata().keySet()), "__metadata__ is sorted by key");
  }

  @Test
  void provenanceKeepsItsMapsSortedWhateverItIsGiven() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("tensorflow", "1.1.0");
    versions.put("djl", "0.33.0");
    versions.put("onnxruntime", "1.20.0");
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("val_mse", 0.5);
    metrics.put("final_loss", 0.25);
    Provenance p = new Provenance("r", "name: r\n", 3, versions, metrics);
    assertEquals(List.of("djl", "onnxruntime", "tensorflow"), List.copyOf(p.versions().keySet()));
    assertEquals(List.of("final_loss", "val_mse"), List.copyOf(p.metrics().keySet()));
    assertEquals(List.of("rnnx.recipe", "rnnx.recipe_yaml", "rnnx.seed", "rnnx.version.djl", "rnnx.version.onnxruntime",
        "rnnx.version.tensorflow", "rnnx.metric.final_loss", "rnnx.metric.val_mse"), List.copyOf(p.toMetadata().keySet()));
    assertFalse(p.equals(new Provenance("r", "name: r\n", 4, versions, metrics)));
    assertEquals(p, new Provenance("r", "name: r\n", 3, new TreeMap<>(versions), new TreeMap<>(metrics)));
  }
}
