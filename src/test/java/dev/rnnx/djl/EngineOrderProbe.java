package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * A main for a forked JVM: serves the tiny model through {@link DjlModel} on the engines named in
 * {@code args[0]} ({@code onnx}, {@code tf}, comma-separated, in that order), from the ONNX file
 * {@code args[1]} and the SavedModel folder {@code args[2]}, and prints one line per engine with
 * its load time and largest error against plain Java, then the TensorFlow library folder.
 */
public final class EngineOrderProbe {

  private EngineOrderProbe() {}

  public static void main(String[] args) throws Exception {
    FloatTensor x = TinyMath.input(3, 5, 11);
    for (String engine : args[0].split(",")) {
      long t0 = System.nanoTime();
      try (DjlModel m =
          engine.equals("onnx") ? DjlModel.loadOnnx(Path.of(args[1])) : DjlModel.loadSavedModel(Path.of(args[2]))) {
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, FloatTensor> out = m.run(Map.of("input", x));
        double err =
            Math.max(
                TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()),
                TinyMath.maxAbsDiff(TinyMath.pre(x), out.get("state_h").data()));
        System.out.println("PROBE " + engine + " engine=" + m.engineName() + " loadMs=" + loadMs + " maxAbsErr=" + err);
        if (err >= 1e-6) {
          System.exit(3);
        }
      }
    }
    System.out.println("PROBE tfFolder=" + NativeWiring.tensorFlowLibraryFolder());
  }
}
