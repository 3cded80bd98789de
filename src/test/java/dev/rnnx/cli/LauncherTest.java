package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rnnx} launcher's stderr filter, run as a process with a stand-in {@code java} that
 * prints what TensorFlow's natives print (the lines seen on stderr of a real run): the native
 * start-up lines are gone by default and kept with {@code --verbose}; every other line, stdout and
 * the exit code pass through.
 */
class LauncherTest {

  private static final String ABSL = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR";
  private static final String MLIR = "I0000 00:00:1796628944.461597   14153 mlir_graph_optimization_pass.cc:401] MLIR V1"
      + " optimization pass is not enabled";
  private static final String TF_WARNING = "W0000 00:00:1796628944.461597   14153 op_kernel.cc:1840] a real warning";

  private record Result(int code, String out, String err) {}

  private static Result launch(Path root, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("rnnx").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
    Path out = root.resolve("stdout.txt");
    Path err = root.resolve("stderr.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int code = p.waitFor();
    return new Result(code, Files.readString(out), Files.readString(err));
  }

  /** A copy of the launcher beside an up-to-date (empty) jar, with a stand-in java first on the PATH. */
  private static Path fakeInstall(Path dir) throws IOException {
    Files.copy(Path.of("rnnx"), dir.resolve("rnnx"));
    Files.createDirectories(dir.resolve("target"));
    Files.writeString(dir.resolve("target/rnnx.jar"), "");
    Files.writeString(dir.resolve("target/classpath.txt"), "");
    Path java = Files.createDirectories(dir.resolve("bin")).resolve("java");
    Files.writeString(java, String.join("\n", "#!/usr/bin/env bash",
        "echo '" + ABSL + "' >&2",
        "echo '" + MLIR + "' >&2",
        "echo 'stdout line'",
        "echo '" + TF_WARNING + "' >&2",
        "echo 'rnnx: an error of ours' >&2",
        "echo \"TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-unset}\"",
        "exit 7", ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  @Test
  void nativeStartUpLinesAreFilteredFromStderrAndTheRestAndTheExitCodeKept(@TempDir Path dir) throws Exception {
    Result r = launch(fakeInstall(dir), "run", "models/sine-lstm.yaml");
    assertEquals(7, r.code());
    assertEquals("stdout line\nTF_CPP_MIN_LOG_LEVEL=2\n", r.out());
    assertEquals(TF_WARNING + "\nrnnx: an error of ours\n", r.err());
    assertFalse(r.err().contains("absl") || r.err().contains("MLIR"), r.err());
  }

  @Test
  void verboseKeepsEveryLine(@TempDir Path dir) throws Exception {
    Result r = launch(fakeInstall(dir), "--verbose", "run");
    assertEquals(7, r.code());
    assertEquals(ABSL + "\n" + MLIR + "\n" + TF_WARNING + "\nrnnx: an error of ours\n", r.err());
    assertTrue(r.out().contains("TF_CPP_MIN_LOG_LEVEL=unset"), r.out());
  }
}
