package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.cli.Main;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rnnx run} then {@code rnnx verify} on a small recipe, through the CLI, on every real backend. */
class RunEndToEndTest {

  private static final String RECIPE = """
      name: tiny-sine
      seed: 5
      model:
        input: {features: 1}
        layers:
          - {type: lstm, units: 6}
          - {type: dense, units: 1}
      data: {task: sine, window: 10, samples: 300, noise: 0.05}
      training: {loss: mse, optimizer: adam, learning_rate: 0.02, epochs: 3, batch_size: 32}
      """;

  private static int cli(StringWriter err, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void runWritesEveryArtifactAndParityHolds(@TempDir Path dir) throws Exception {
    Path recipe = dir.resolve("tiny.yaml");
    Files.writeString(recipe, RECIPE);
    Path out = dir.resolve("out");
    StringWriter err = new StringWriter();
    assertEquals(0, cli(err, "run", recipe.toString(), "--out", out.toString()), err.toString());

    for (String name : List.of("weights.safetensors", "model.onnx", "report.json", "loss.png", "saved_model/saved_model.pb",
        "saved_model/rnnx-provenance.json")) {
      assertTrue(Files.isRegularFile(out.resolve(name)), name);
    }
    byte[] png = Files.readAllBytes(out.resolve("loss.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    try (var files = Files.list(out)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files remain");
    }

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals("tiny-sine", report.get("recipe").asText());
    assertTrue(report.get("passed").asBoolean(), report.toPrettyString());
    assertEquals(3, report.get("training").get("loss").size());
    assertTrue(report.get("training").get("final_loss").asDouble() > 0);
    Set<String> candidates = new HashSet<>();
    for (JsonNode c : report.get("comparisons")) {
      assertEquals("ref", c.get("reference").asText());
      assertEquals("output", c.get("output").asText());
      assertTrue(c.get("max_abs_err").asDouble() < 1e-5, c.toString());
      assertTrue(c.get("max_rel_err").isNumber());
      assertTrue(c.get("passed").asBoolean());
      assertEquals(6, c.get("cases").asInt(), "batch sizes 1 and 7 times lengths 1, 10, 40");
      candidates.add(c.get("candidate").asText());
    }
    assertEquals(Set.of("tf-java", "djl-ort", "djl-tf"), candidates);

    // provenance travels with every artifact and reads back equal
    Provenance fromWeights = Provenance.fromMetadata(Safetensors.read(out.resolve("weights.safetensors")).metadata());
    Map<String, String> onnxMeta = new HashMap<>();
    OnnxModels.read(out.resolve("model.onnx")).getMetadataPropsList().forEach(p -> onnxMeta.put(p.getKey(), p.getValue()));
    assertEquals(fromWeights, Provenance.fromMetadata(onnxMeta));
    assertEquals(5, fromWeights.seed());
    assertEquals(RecipeCodec.parse(RECIPE, "x"), RecipeCodec.parse(fromWeights.recipeYaml(), "recorded"));
    assertEquals(report.get("training").get("final_loss").asDouble(), fromWeights.metrics().get("final_loss"), 0);
    JsonNode savedModelProvenance = new ObjectMapper().readTree(out.resolve("saved_model/rnnx-provenance.json").toFile());
    assertTrue(savedModelProvenance.toString().contains("tiny-sine"), savedModelProvenance.toString());

    // verify re-checks the folder; a model file that is not ONNX is bad input
    assertEquals(0, cli(err, "verify", out.toString()), err.toString());
    assertEverythingHasTheUmasksMode(out);
    assertTrue(Files.isRegularFile(out.resolve("verify/report.html")));
    assertTrue(Files.isDirectory(out.resolve("verify/golden")));
    assertEquals(1, dev.rnnx.tf.EventFiles.list(out.resolve("logs/train")).size(), "TensorBoard event files");
    Files.writeString(out.resolve("model.onnx"), "this is not an onnx model");
    StringWriter bad = new StringWriter();
    assertEquals(2, cli(bad, "verify", out.toString()));
    assertTrue(bad.toString().contains("model.onnx"), bad.toString());
    assertFalse(bad.toString().contains("Exception"), "one clear line, no stack trace: " + bad);
  }

  /**
   * Every file and folder of a run folder has the mode a plain new file or folder gets in the same
   * place under this process's umask (0644 and 0755 under umask 022), not an owner-only one.
   */
  static void assertEverythingHasTheUmasksMode(Path out) throws IOException {
    Path plainFile = Files.createFile(out.resolve("plain-file"));
    Path plainDir = Files.createDirectory(out.resolve("plain-dir"));
    Set<PosixFilePermission> fileMode = Files.getPosixFilePermissions(plainFile);
    Set<PosixFilePermission> dirMode = Files.getPosixFilePermissions(plainDir);
    Files.delete(plainFile);
    Files.delete(plainDir);
    assertTrue(fileMode.contains(PosixFilePermission.OWNER_WRITE), "the test needs a umask that lets the owner write");
    int files = 0;
    try (Stream<Path> all = Files.walk(out)) {
      for (Path p : all.skip(1).toList()) {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
        assertEquals(Files.isDirectory(p) ? dirMode : fileMode, mode, out.relativize(p) + " has "
            + PosixFilePermissions.toString(mode));
        files += Files.isRegularFile(p) ? 1 : 0;
      }
    }
    assertTrue(files >= 10, "walked " + files + " files");
  }

  @Test
  void verifyOfAMissingFolderIsBadInput(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    assertEquals(2, cli(err, "verify", dir.resolve("nope").toString()));
    assertTrue(err.toString().contains("does not exist"), err.toString());
  }

  @Test
  void aRunStoppedMidwayAndResumedEndsWithTheSameWeights(@TempDir Path dir) throws Exception {
    Path recipe = dir.resolve("tiny.yaml");
    Files.writeString(recipe, RECIPE);
    StringWriter err = new StringWriter();
    Path whole = dir.resolve("whole");
    Path resumed = dir.resolve("resumed");
    assertEquals(0, cli(err, "run", recipe.toString(), "--out", whole.toString()), err.toString());
    assertEquals(0, cli(err, "run", recipe.toString(), "--out", resumed.toString(), "--stop-after-epochs", "1"), err.toString());
    assertTrue(Files.isRegularFile(resumed.resolve("checkpoints/checkpoint.json")));
    assertFalse(Files.exists(resumed.resolve("model.onnx")), "an interrupted run exports nothing");
    assertEquals(0, cli(err, "run", recipe.toString(), "--out", resumed.toString(), "--resume"), err.toString());
    assertEquals(Safetensors.read(whole.resolve("weights.safetensors")).weights(),
        Safetensors.read(resumed.resolve("weights.safetensors")).weights());
    assertTrue(Files.isRegularFile(resumed.resolve("checkpoints/epoch-000003.safetensors")));
    assertEverythingHasTheUmasksMode(resumed);
  }

  @Test
  void resumeWithoutACheckpointStartsFromTheBeginningAndSaysSo(@TempDir Path dir) throws Exception {
    Path recipe = dir.resolve("tiny.yaml");
    Files.writeString(recipe, RECIPE);
    Path whole = dir.resolve("whole");
    StringWriter err = new StringWriter();
    assertEquals(0, cli(err, "run", recipe.toString(), "--out", whole.toString()), err.toString());
    Path fresh = dir.resolve("fresh");
    Files.createDirectories(fresh.resolve("checkpoints"));
    Files.writeString(fresh.resolve("checkpoints/.rnnx-tmp-epoch-000001.safetensors.k1.tmp"), "killed mid-write");
    StringWriter note = new StringWriter();
    assertEquals(0, cli(note, "run", recipe.toString(), "--out", fresh.toString(), "--resume"), note.toString());
    assertEquals("rnnx: --resume: no checkpoint in " + fresh.resolve("checkpoints") + " (the run stopped before its first"
        + " one); starting from epoch 1" + System.lineSeparator(), note.toString());
    assertArrayEquals(Files.readAllBytes(whole.resolve("weights.safetensors")), Files.readAllBytes(fresh.resolve("weights.safetensors")));
    assertTrue(Files.isRegularFile(fresh.resolve("checkpoints/epoch-000003.safetensors")), "--resume keeps checkpointing");
    try (Stream<Path> files = Files.walk(fresh)) {
      assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary left");
    }
  }
}
