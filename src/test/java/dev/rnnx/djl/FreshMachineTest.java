package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a machine with an empty home folder (no {@code ~/.javacpp}, no {@code ~/.djl.ai}) and no
 * environment variable, {@link DjlModel} extracts TensorFlow Java's native library through its own
 * loader, wires DJL to it, and serves both engines offline.
 */
class FreshMachineTest {

  @TempDir Path tmp;

  @Test
  void bothEnginesWorkFromAnEmptyHome() throws Exception {
    Path onnx = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    Path savedModel = TinySavedModel.write(tmp.resolve("tiny-saved"), "serving_default");
    Path home = Files.createDirectories(tmp.resolve("home"));
    ForkedJvm.Result r =
        ForkedJvm.run(
            tmp, List.of("-Duser.home=" + home), EngineOrderProbe.class, "onnx,tf", onnx.toString(), savedModel.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("PROBE tf engine=TensorFlow"), r.output());
    String folder =
        r.output().lines().filter(l -> l.startsWith("PROBE tfFolder=")).findFirst().orElseThrow().substring(15);
    assertTrue(folder.startsWith(home.resolve(".javacpp").resolve("cache").toString()), folder);
    assertTrue(Files.isRegularFile(Path.of(folder, System.mapLibraryName("jnitensorflow"))), folder);
    assertTrue(!Files.exists(home.resolve(".djl.ai").resolve("tensorflow")), "DJL tried to fetch TensorFlow");
    r.output().lines().filter(l -> l.startsWith("PROBE")).forEach(l -> System.out.println("fresh home: " + l));
    System.out.printf("fresh home: forked JVM %d ms (includes extracting TensorFlow's native library)%n", r.millis());
  }
}
