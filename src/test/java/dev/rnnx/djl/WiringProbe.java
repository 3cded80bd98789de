package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * A main for a forked JVM. {@code args[0]}: {@code tf} wires TensorFlow and prints the folder or
 * the error; {@code raw-ort-first} creates a raw {@code OrtEnvironment} before loading the ONNX file
 * {@code args[1]} through {@link DjlModel} and prints the outcome.
 */
public final class WiringProbe {

  private WiringProbe() {}

  public static void main(String[] args) throws Exception {
    try {
      if (args[0].equals("tf")) {
        NativeWiring.configureForTensorFlow();
        System.out.println("WIRING-FOLDER " + NativeWiring.tensorFlowLibraryFolder());
      } else {
        ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (DjlModel m = DjlModel.loadOnnx(Path.of(args[1]))) {
          FloatTensor x = TinyMath.input(1, 2, 3);
          System.out.println("WIRING-RAN " + m.run(Map.of("input", x)).keySet());
        }
      }
    } catch (RuntimeException e) {
      System.out.println("WIRING-ERROR " + e.getClass().getName() + ": " + e.getMessage());
    }
  }
}
