package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * A main for a forked JVM: writes the tiny ONNX model, serves it through {@link DjlModel}, and
 * prints the largest error against plain Java. Run with {@code -verbose:class} to list the classes
 * it loads.
 */
public final class OnnxOnlyProbe {

  private OnnxOnlyProbe() {}

  public static void main(String[] args) throws Exception {
    Path onnx = TinyOnnx.write(Path.of(args[0], "tiny.onnx"), false);
    FloatTensor x = TinyMath.input(2, 4, 7);
    try (DjlModel m = DjlModel.loadOnnx(onnx)) {
      Map<String, FloatTensor> out = m.run(Map.of("input", x));
      double err =
          Math.max(
              TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()),
              TinyMath.maxAbsDiff(TinyMath.pre(x), out.get("state_h").data()));
      System.out.println("PROBE engine=" + m.engineName() + " maxAbsErr=" + err);
      if (err >= 1e-6) {
        System.exit(3);
      }
    }
  }
}
