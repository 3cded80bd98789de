package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL's OnnxRuntime and TensorFlow engines serve the same model in one JVM, in either order. */
class BothEnginesTest {

  @TempDir static Path tmp;
  static Path onnx;
  static Path savedModel;

  @BeforeAll
  static void artifacts() throws Exception {
    onnx = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    savedModel = TinySavedModel.write(tmp.resolve("tiny-saved"), "serving_default");
  }

  @Test
  void bothEnginesInThisJvmAgreeWithEachOtherAndJava() {
    FloatTensor x = TinyMath.input(4, 9, 77);
    try (DjlModel ort = DjlModel.loadOnnx(onnx);
        DjlModel tf = DjlModel.loadSavedModel(savedModel)) {
      assertEquals(ort.inputNames(), tf.inputNames());
      assertEquals(ort.outputNames(), tf.outputNames());
      Map<String, FloatTensor> a = ort.run(Map.of("input", x));
      Map<String, FloatTensor> b = tf.run(Map.of("input", x));
      for (String name : List.of("output", "state_h")) {
        float[] p = a.get(name).data();
        float[] q = b.get(name).data();
        double[] pd = new double[p.length];
        for (int i = 0; i < p.length; i++) {
          pd[i] = p[i];
        }
        assertTrue(TinyMath.maxAbsDiff(pd, q) < 1e-6, name);
      }
      assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), b.get("output").data()) < 1e-6);
      // interleaved use keeps working
      assertTrue(TinyMath.maxAbsDiff(TinyMath.pre(x), ort.run(Map.of("input", x)).get("state_h").data()) < 1e-6);
    }
  }

  @Test
  void concurrentCallsOnBothEnginesGetTheirOwnResults() throws Exception {
    try (DjlModel ort = DjlModel.loadOnnx(onnx);
        DjlModel tf = DjlModel.loadSavedModel(savedModel)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Double>> errors = new ArrayList<>();
        for (int task = 0; task < 8; task++) {
          int seed = task;
          DjlModel m = task % 2 == 0 ? ort : tf;
          errors.add(
              pool.submit(
                  () -> {
                    double worst = 0;
                    for (int i = 0; i < 25; i++) {
                      FloatTensor x = TinyMath.input(1 + (seed + i) % 4, 1 + i % 7, seed * 1000L + i);
                      Map<String, FloatTensor> out = m.run(Map.of("input", x));
                      worst = Math.max(worst, TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()));
                      worst = Math.max(worst, TinyMath.maxAbsDiff(TinyMath.pre(x), out.get("state_h").data()));
                    }
                    return worst;
                  }));
        }
        for (Future<Double> f : errors) {
          assertTrue(f.get(60, TimeUnit.SECONDS) < 1e-6);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void onnxThenTensorFlowInAFreshJvm() throws Exception {
    assertOrder("onnx,tf");
  }

  @Test
  void tensorFlowThenOnnxInAFreshJvm() throws Exception {
    assertOrder("tf,onnx");
  }

  private static void assertOrder(String order) throws Exception {
    ForkedJvm.Result r =
        ForkedJvm.run(tmp, List.of(), EngineOrderProbe.class, order, onnx.toString(), savedModel.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("PROBE onnx engine=OnnxRuntime"), r.output());
    assertTrue(r.output().contains("PROBE tf engine=TensorFlow"), r.output());
    r.output().lines().filter(l -> l.startsWith("PROBE")).forEach(l -> System.out.println(order + ": " + l));
    System.out.printf("%s: forked JVM %d ms%n", order, r.millis());
  }
}
