package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GlobalMaxPooling;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.verify.VerifyOptions;
import dev.rnnx.verify.VerifyReport;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code global_max_pooling} (Keras's GlobalMaxPooling1D) over the valid steps of each sequence: the
 * reference, a live TF session and the ONNX file on DJL's and the raw ONNX Runtime agree, with and
 * without lengths, at the opsets where {@code ReduceMax} takes its axes as an attribute and as an input.
 */
class GlobalMaxPoolingParityTest {

  @ParameterizedTest
  @CsvSource({"true,17", "true,18", "false,11", "false,18"})
  void everyBackendAgrees(boolean lengths, int opset, @TempDir Path tmp) throws Exception {
    ModelInput in = ModelInput.ofFeatures(3);
    Sequential model = new Sequential("gmp", lengths ? in.withLengths() : in, List.of(Lstm.of("lstm", 5, true),
        new GlobalMaxPooling("pool"), new Dense("dense", 2, Activation.SOFTMAX, true)));
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    Random r = new Random(opset);
    for (ParameterSpec p : model.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextGaussian() * 0.5);
      }
      w.put(p.name(), new FloatTensor(java.util.Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    Weights weights = new Weights(w);
    Provenance prov = new Provenance("gmp", "", 0, Map.of(), Map.of());
    OnnxExporter.write(OnnxExporter.export(model, weights, opset, prov), tmp);
    VerifyReport report = ParityAssertions.assertParity(model, weights, tmp.resolve("model.onnx"), null, 6, VerifyOptions.defaults());
    assertTrue(report.passed());
  }
}
