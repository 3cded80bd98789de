package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of {@code rnnx run}, each run in its own JVM: two identical runs give identical
 * bytes, and a run killed with SIGKILL at several moments leaves only valid artifacts, no temporary
 * once a later command has run on the folder, and resumes to the bytes of an uninterrupted run.
 *
 * <p>The default test kills {@code rnnx.crash.kills} times (3): before the first checkpoint, right
 * after the first checkpoint, and while a temporary exists (an artifact half written); beyond 3, each further
 * kill comes at a random moment of a run. The full campaign, 20 kills:
 * {@code mvn -Pcrash test -Dtest=CrashSafetyTest} (README, "Crash safety"). Any number:
 * {@code -Drnnx.crash.kills=N}.
 */
class CrashSafetyTest {

  private static final String RECIPE = """
      name: crash-sine
      seed: 11
      model:
        input: {features: 1}
        layers:
          - {type: lstm, units: 6}
          - {type: dense, units: 1}
      data: {task: sine, window: 10, samples: 600, noise: 0.05}
      training: {loss: mse, optimizer: adam, learning_rate: 0.02, epochs: 6, batch_size: 32}
      """;

  /** The artifacts whose bytes must not depend on the JVM: report.json and loss.png hold timings, so they are left out. */
  private static final List<String> DETERMINISTIC = List.of("weights.safetensors", "model.onnx",
      "saved_model/rnnx-provenance.json");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  private static Path recipe;
  private static Path reference;
  private static long referenceMillis;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    recipe = tmp.resolve("crash-sine.yaml");
    Files.writeString(recipe, RECIPE);
    reference = tmp.resolve("reference");
    long t0 = System.nanoTime();
    Child c = Child.start(tmp.resolve("reference.log"), "run", recipe.toString(), "--out", reference.toString());
    assertEquals(0, c.waitForExit(), c.log());
    referenceMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void twoIdenticalRunsInTwoJvmsGiveIdenticalBytes() throws Exception {
    Path again = tmp.resolve("again");
    Child c = Child.start(tmp.resolve("again.log"), "run", recipe.toString(), "--out", again.toString());
    assertEquals(0, c.waitForExit(), c.log());
    for (String name : DETERMINISTIC) {
      assertArrayEquals(Files.readAllBytes(reference.resolve(name)), Files.readAllBytes(again.resolve(name)),
          name + " differs between two identical runs");
    }
  }

  @Test
  void killedRunsLeaveValidArtifactsAndResumeToTheSameBytes() throws Exception {
    int kills = Integer.getInteger("rnnx.crash.kills", 3);
    Path out = tmp.resolve("killed");
    Path checkpoint = out.resolve("checkpoints/checkpoint.json");
    Random random = new Random(17);
    List<String> moments = new ArrayList<>();
    List<String> temporariesSeen = new ArrayList<>();
    int completed = 0;
    for (int k = 0, attempt = 0; k < kills && attempt < 3 * kills; attempt++) {
      List<String> args = new ArrayList<>(List.of("run", recipe.toString(), "--out", out.toString(), "--checkpoint-every", "1"));
      if (k > 0) {
        args.add("--resume");
      }
      Child c = Child.start(tmp.resolve("kill-" + attempt + ".log"), args.toArray(String[]::new));
      long t0 = System.nanoTime();
      String moment = switch (k) {
        case 0 -> c.killWhen(() -> System.nanoTime() - t0 > 800_000_000L, "0.8 s after start, before the first checkpoint");
        case 1 -> c.killWhen(() -> Files.isRegularFile(checkpoint), "at the first checkpoint");
        case 2 -> c.killWhen(() -> !temporariesQuietly(out).isEmpty(), "while a temporary exists (mid-write)");
        default -> {
          long at = (long) (random.nextDouble() * referenceMillis * 1_000_000L);
          yield c.killWhen(() -> System.nanoTime() - t0 > at, String.format(Locale.ROOT, "at %.2f s", at / 1e9));
        }
      };
      temporariesSeen.addAll(assertValidArtifacts(out).stream().map(p -> out.relativize(p).toString()).toList());
      if (moment.contains("had already ended") && c.process().exitValue() != 0) {
        throw new AssertionError("a run ended before its kill with exit " + c.process().exitValue() + ":\n" + c.log());
      }
      if (c.process().exitValue() == 0) {
        // the run ended before its kill: it must have resumed to the reference's bytes; start again from nothing
        assertSameBytes(out, "a resumed run that ended before its kill");
        AtomicFiles.deleteTree(out);
        completed++;
      } else {
        moments.add(moment);
        k++;
      }
    }
    assertEquals(kills, moments.size(), "kills of a live process: " + moments);
    boolean hadCheckpoint = Files.isRegularFile(checkpoint);
    Child last = Child.start(tmp.resolve("resume.log"), "run", recipe.toString(), "--out", out.toString(),
        "--checkpoint-every", "1", "--resume");
    assertEquals(0, last.waitForExit(), last.log());
    if (!hadCheckpoint) {
      assertTrue(last.log().contains("starting from epoch 1"), last.log());
    }
    assertValidArtifacts(out);
    assertEquals(List.of(), temporaries(out), "no temporary survives the resumed run");
    assertSameBytes(out, "the killed and resumed run (kills: " + moments + ")");
    System.out.printf(Locale.ROOT, "crash safety: %d kills of a live process (%s); %d resumed run(s) ended before their"
        + " kill and were started again from nothing; temporaries seen after a kill, all removed by the next run: %s;"
        + " every resume reached identical bytes%n", kills, String.join("; ", moments), completed, temporariesSeen);
  }

  private static void assertSameBytes(Path out, String what) throws IOException {
    for (String name : DETERMINISTIC) {
      assertArrayEquals(Files.readAllBytes(reference.resolve(name)), Files.readAllBytes(out.resolve(name)),
          name + " of " + what + " differs from the uninterrupted run's");
    }
  }

  /** Parses every artifact present (temporaries aside); returns the temporaries. */
  private static List<Path> assertValidArtifacts(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> all = Files.walk(out)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      if (isTemporary(out, f)) {
        continue;
      }
      String name = f.getFileName().toString();
      if (name.endsWith(".safetensors")) {
        Safetensors.read(f);
      } else if (name.endsWith(".onnx")) {
        OnnxModels.read(f);
      } else if (name.endsWith(".json")) {
        JSON.readTree(f.toFile());
      } else if (name.endsWith(".png")) {
        byte[] b = Files.readAllBytes(f);
        assertEquals("IEND", new String(b, b.length - 8, 4, StandardCharsets.US_ASCII), f + " is a whole PNG");
      }
    }
    Path savedModel = out.resolve("saved_model");
    if (Files.exists(savedModel)) {
      assertTrue(Files.isRegularFile(savedModel.resolve("saved_model.pb")), "a SavedModel present is whole");
      assertTrue(Files.isRegularFile(savedModel.resolve("rnnx-provenance.json")), "a SavedModel present is whole");
    }
    return temporaries(out);
  }

  private static List<Path> temporaries(Path out) throws IOException {
    try (Stream<Path> all = Files.walk(out)) {
      return all.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).toList();
    }
  }

  private static List<Path> temporariesQuietly(Path out) {
    try {
      return Files.isDirectory(out) ? temporaries(out) : List.of();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of(); // a temporary moved while the tree was walked
    }
  }

  private static boolean isTemporary(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /** {@code rnnx} in a child JVM on the test classpath, its output in a log file. */
  private record Child(Process process, Path logFile) {

    static Child start(Path log, String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
      cmd.addAll(List.of(args));
      return new Child(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    int waitForExit() throws Exception {
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("rnnx did not finish in 180 s:\n" + log());
      }
      return process.exitValue();
    }

    /** SIGKILLs the process once {@code when} holds (polled every 5 ms); says when, or that it had already ended. */
    String killWhen(BooleanSupplier when, String moment) throws Exception {
      long deadline = System.nanoTime() + 180_000_000_000L;
      while (process.isAlive() && !when.getAsBoolean() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      if (!process.isAlive()) {
        return moment + " (had already ended, exit " + process.exitValue() + ")";
      }
      process.destroyForcibly();
      process.waitFor();
      return moment;
    }

    String log() throws IOException {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    }
  }
}
