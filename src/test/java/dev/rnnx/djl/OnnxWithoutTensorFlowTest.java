package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving an ONNX model through {@link DjlModel} loads no {@code org.tensorflow} class and touches
 * no TensorFlow native library: checked in a fresh JVM with {@code -verbose:class}, TensorFlow on
 * the classpath, and an empty home folder.
 */
class OnnxWithoutTensorFlowTest {

  @TempDir Path tmp;

  @Test
  void onnxServingLoadsNoTensorFlowClass() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    ForkedJvm.Result r =
        ForkedJvm.run(
            tmp,
            List.of("-verbose:class", "-Duser.home=" + home, "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("t"))),
            OnnxOnlyProbe.class,
            tmp.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("PROBE engine=OnnxRuntime"), r.output());
    List<String> loaded = r.output().lines().filter(l -> l.contains("[class,load]")).toList();
    assertTrue(loaded.stream().anyMatch(l -> l.contains(" ai.djl.onnxruntime.engine.OrtEngine ")), "probe did not use DJL-ORT");
    List<String> tensorFlow = loaded.stream().filter(l -> l.contains(" org.tensorflow.")).toList();
    assertEquals(List.of(), tensorFlow, "ONNX serving loaded TensorFlow classes");
    // DJL's engine registry loads (but never initializes) ai.djl.tensorflow.engine.TfEngine; what
    // matters is that no TensorFlow Java class and no JavaCPP loader runs
    assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" org.bytedeco.")).toList(), "JavaCPP was loaded");
    assertFalse(Files.exists(home.resolve(".javacpp")), "something extracted JavaCPP libraries");
    System.out.printf("forked ONNX-only JVM: %d ms, %d classes loaded%n", r.millis(), loaded.size());
  }

  /**
   * The CLI's whole {@code rnnx predict MODEL --input FILE} path (picocli, the input reader,
   * {@link RnnxModel}, the JSON writer) on an ONNX model, in a fresh JVM as {@code ./rnnx} starts
   * it: no {@code org.tensorflow} or JavaCPP class is loaded, and the outputs are right.
   */
  @Test
  void predictCommandOnOnnxLoadsNoTensorFlowClass() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path onnx = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    dev.rnnx.spec.FloatTensor x = TinyMath.input(1, 3, 5);
    Path in = Files.writeString(tmp.resolve("x.json"), dev.rnnx.tensorio.InputFiles.toJson(java.util.Map.of("input", x)));
    Path out = tmp.resolve("y.json");
    ForkedJvm.Result r = ForkedJvm.run(tmp,
        List.of("-verbose:class", "-Duser.home=" + home, "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("t2"))),
        dev.rnnx.cli.Main.class, "predict", onnx.toString(), "--input", in.toString(), "--output", out.toString());
    assertEquals(0, r.exitCode(), r.output());
    List<String> loaded = r.output().lines().filter(l -> l.contains("[class,load]")).toList();
    assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.rnnx.djl.RnnxModel ")), "predict did not use RnnxModel");
    assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" org.tensorflow.")).toList(), "predict loaded TensorFlow classes");
    assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" org.bytedeco.")).toList(), "JavaCPP was loaded");
    assertFalse(Files.exists(home.resolve(".javacpp")), "something extracted JavaCPP libraries");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile()).get("output").get("data");
    float[] y = new float[json.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) json.get(i).asDouble();
    }
    assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), y) < 1e-6);
    System.out.printf("forked 'rnnx predict' on ONNX: %d ms wall, %d classes loaded%n", r.millis(), loaded.size());
  }
}
