package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rnnx.weights.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Exit codes mean one thing each (2 bad input, 1 parity fails, 3 rnnx's own fault, out of memory
 * one line and 3), and a run folder's files are read only when they are regular files.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExitCodeTest {

  private static final String RECIPE = """
      name: tiny
      seed: 1
      model:
        input: {features: 1, lengths: true}
        layers:
          - {type: lstm, units: 3}
          - {type: dense, units: 1}
      data: {task: sine, window: 3, samples: 40}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  @TempDir static Path dir;
  static Path run;
  static Path input;

  @BeforeAll
  static void train() throws Exception {
    Path recipe = dir.resolve("r.yaml");
    Files.writeString(recipe, RECIPE);
    run = dir.resolve("run");
    CliRun o = CliRun.of("run", recipe.toString(), "--out", run.toString());
    assertEquals(ExitCodes.OK, o.code(), o.err());
    input = dir.resolve("in.json");
    Files.writeString(input, "{\"input\": [[[0.1], [0.2], [0.3]]], \"lengths\": {\"shape\": [1], \"data\": [3], \"dtype\": \"int32\"}}");
  }

  /** A copy of the run folder without its reports, whose weights file {@code replace} puts in place. */
  private static Path copyWith(String name, WeightsReplacement replace) throws Exception {
    Path copy = dir.resolve(name);
    try (Stream<Path> s = Files.walk(run)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path rel = run.relativize(p);
        if (rel.startsWith("verify") || rel.toString().equals("weights.safetensors")) {
          continue;
        }
        if (Files.isDirectory(p)) {
          Files.createDirectories(copy.resolve(rel.toString()));
        } else {
          Files.copy(p, copy.resolve(rel.toString()));
        }
      }
    }
    replace.apply(copy.resolve("weights.safetensors"));
    return copy;
  }

  private interface WeightsReplacement {
    void apply(Path weights) throws Exception;
  }

  private static List<String> listing(Path folder) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(folder)) {
      s.map(p -> folder.relativize(p).toString()).sorted().forEach(out::add);
    }
    return out;
  }

  /** {@code verify} and {@code predict} each refuse the folder with one line and exit 2, writing nothing. */
  private static void assertRefused(Path folder, String message) throws Exception {
    List<String> before = listing(folder);
    Path output = dir.resolve("out-" + folder.getFileName() + ".json");
    CliRun[] runs = {CliRun.of("verify", folder.toString()),
        CliRun.of("predict", folder.toString(), "--input", input.toString(), "--output", output.toString())};
    for (CliRun o : runs) {
      assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
      assertEquals("rnnx: " + folder.resolve("weights.safetensors") + ": " + message + System.lineSeparator(), o.err());
    }
    assertEquals(before, listing(folder), "nothing written into the run folder");
    assertFalse(Files.exists(output), "no prediction written");
  }

  @Test
  void weightsLinkedToDevZeroAreRefusedNotRead() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero");
    Path folder = copyWith("zero", w -> Files.createSymbolicLink(w, Path.of("/dev/zero")));
    assertRefused(folder, "is a link to a character device, expected a safetensors weights file (a regular file)");
  }

  @Test
  void weightsThatAreAFifoAreRefusedWithoutHanging() throws Exception {
    Path folder = copyWith("fifo", w -> {
      try {
        Process p = new ProcessBuilder("mkfifo", w.toString()).inheritIO().start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
      } catch (IOException e) {
        assumeTrue(false, "mkfifo is missing: " + e.getMessage());
      }
    });
    assertRefused(folder, "is a FIFO, expected a safetensors weights file (a regular file)");
  }

  @Test
  void aLinkToARegularFileIsFollowedAndAnOnnxFifoIsRefused() throws Exception {
    Path folder = copyWith("linked", w -> Files.createSymbolicLink(w, run.resolve("weights.safetensors")));
    CliRun ok = CliRun.of("predict", folder.toString(), "--input", input.toString());
    assertEquals(ExitCodes.OK, ok.code(), ok.err());
    Files.delete(folder.resolve("model.onnx"));
    Files.createSymbolicLink(folder.resolve("model.onnx"), folder.resolve("saved_model"));
    CliRun o = CliRun.of("verify", folder.toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertEquals("rnnx: " + folder.resolve("model.onnx") + ": is a link to a folder, expected an ONNX model (a regular"
        + " file)" + System.lineSeparator(), o.err());
  }

  @Test
  void aSeedThatIsNoIntegerIsRefusedWithTheFileAndTheKey() throws Exception {
    Safetensors.Contents c = Safetensors.read(run.resolve("weights.safetensors"));
    Map<String, String> metadata = new LinkedHashMap<>(c.metadata());
    metadata.put("rnnx.seed", "1e3");
    Path folder = copyWith("seed", w -> Safetensors.write(w, c.weights(), metadata));
    CliRun o = CliRun.of("verify", folder.toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertEquals("rnnx: " + folder.resolve("weights.safetensors") + ": metadata rnnx.seed is '1e3', expected an integer"
        + System.lineSeparator(), o.err());
  }

  @Test
  void verifyRefusesZeroLengthsAndEmptyTensorsNamingTheFile() throws Exception {
    Map<String, String> cases = Map.of(
        "{\"input\": [[[0.1], [0.2], [0.3]]], \"lengths\": {\"shape\": [1], \"data\": [0], \"dtype\": \"int32\"}}",
        "input 'lengths' holds 0 at [0], expected 1 … 3 (lengths along time)",
        "{\"input\": {\"shape\": [1, 0, 1], \"data\": []}, \"lengths\": {\"shape\": [1], \"data\": [1], \"dtype\": \"int32\"}}",
        "input 'input' must be float32 [batch, time, 1], got float32 [1, 0, 1]: time is empty");
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path inputs = Files.createDirectories(dir.resolve("inputs" + i++));
      Path file = Files.writeString(inputs.resolve("a.json"), c.getKey());
      Path report = dir.resolve("report" + i);
      CliRun o = CliRun.of("verify", run.toString(), "--inputs", inputs.toString(), "--report", report.toString());
      assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
      assertTrue(o.err().contains(file + ": " + c.getValue()), o.err());
      assertFalse(o.out().contains("FAILS") || o.err().contains("FAILS"), o.out());
      assertFalse(Files.exists(report), "no report for refused inputs");
    }
  }

  @Command(name = "oom")
  static final class Exhausting implements Callable<Integer> {
    @CommandLine.Option(names = "--wrapped")
    boolean wrapped;

    @Override
    public Integer call() throws Exception {
      OutOfMemoryError e = new OutOfMemoryError("Java heap space");
      if (wrapped) {
        throw new java.util.concurrent.ExecutionException("a worker failed", e);
      }
      throw e;
    }
  }

  @Test
  void outOfMemoryIsOneLineAndExit3InProcess() {
    for (String[] args : new String[][] {{"oom"}, {"oom", "--wrapped"}}) {
      CommandLine cl = Main.commandLine();
      cl.addSubcommand(new Exhausting());
      java.io.StringWriter err = new java.io.StringWriter();
      cl.setErr(new java.io.PrintWriter(err, true));
      assertEquals(ExitCodes.INTERNAL, cl.execute(args));
      assertEquals(Main.outOfMemoryLine(new OutOfMemoryError("Java heap space"), "'rnnx oom'",
          Runtime.getRuntime().maxMemory()) + System.lineSeparator(), err.toString());
    }
    assertEquals("rnnx: 'rnnx predict' ran out of memory (Java heap space; the JVM's heap is at most 24 MiB): give it"
        + " more with RNNX_JAVA_OPTS=-Xmx<size> (e.g. RNNX_JAVA_OPTS=-Xmx8g), or a smaller input or recipe",
        Main.outOfMemoryLine(new OutOfMemoryError("Java heap space"), "'rnnx predict'", 24L << 20));
  }

  @Test
  void outOfMemoryInARealCommandIsOneLineAndExit3() throws Exception {
    // 150,000 sequences of JSON numbers: a few MB of file, far more than 24 MiB of heap as a tree
    StringBuilder json = new StringBuilder("{\"input\": [");
    for (int i = 0; i < 150_000; i++) {
      json.append(i == 0 ? "" : ",").append("[[0.5],[0.5],[0.5],[0.5],[0.5]]");
    }
    Path big = Files.writeString(dir.resolve("big.json"), json.append("]}").toString());
    Path log = dir.resolve("oom.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "predict",
        dir.resolve("absent.onnx").toString(), "--input", big.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
    String out = Files.readString(log);
    assertEquals(ExitCodes.INTERNAL, p.exitValue(), out);
    assertEquals("rnnx: 'rnnx predict' ran out of memory (Java heap space; the JVM's heap is at most "
        + "24 MiB): give it more with RNNX_JAVA_OPTS=-Xmx<size> (e.g. RNNX_JAVA_OPTS=-Xmx8g), or a smaller input or"
        + " recipe", out.strip().replaceAll("at most \\d+ MiB", "at most 24 MiB"));
  }
}
