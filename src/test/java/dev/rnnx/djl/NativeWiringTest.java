package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeWiringTest {

  @TempDir Path tmp;

  @Test
  void onnxWiringIsIdempotentAndSetsDjlsProperties() {
    NativeWiring.configureForOnnx();
    NativeWiring.configureForOnnx();
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals("true", System.getProperty("ai.djl.onnx.disable_alternative"));
  }

  @Test
  void tensorFlowWiringIsIdempotentAndFindsTheJniLibrary() {
    NativeWiring.configureForTensorFlow();
    Path folder = NativeWiring.tensorFlowLibraryFolder();
    NativeWiring.configureForTensorFlow();
    assertSame(folder, NativeWiring.tensorFlowLibraryFolder());
    assertTrue(Files.isRegularFile(folder.resolve(System.mapLibraryName("jnitensorflow"))), String.valueOf(folder));
    assertEquals("true", System.getProperty("ai.djl.offline"));
  }

  @Test
  void aWrongUserSetLibraryPathIsAClearError() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ForkedJvm.Result r =
        ForkedJvm.run(tmp, List.of("-DTENSORFLOW_LIBRARY_PATH=" + empty), WiringProbe.class, "tf");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("WIRING-ERROR java.lang.IllegalStateException: TENSORFLOW_LIBRARY_PATH"), r.output());
    assertTrue(r.output().contains(empty.toString()), r.output());
  }

  @Test
  void aValidUserSetLibraryPathIsKept() throws Exception {
    NativeWiring.configureForTensorFlow();
    Path folder = NativeWiring.tensorFlowLibraryFolder();
    ForkedJvm.Result r =
        ForkedJvm.run(tmp, List.of("-DTENSORFLOW_LIBRARY_PATH=" + folder), WiringProbe.class, "tf");
    assertTrue(r.output().contains("WIRING-FOLDER " + folder), r.output());
  }

  @Test
  void aRawOrtEnvironmentCreatedFirstGivesAClearErrorNotACrash() throws Exception {
    Path onnx = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    ForkedJvm.Result r = ForkedJvm.run(tmp, List.of(), WiringProbe.class, "raw-ort-first", onnx.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("WIRING-ERROR java.lang.IllegalStateException"), r.output());
    assertTrue(r.output().contains("OrtEnvironment"), r.output());
  }
}
