package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.imports.SavedModelLift;
import dev.rnnx.imports.SavedModelTensors;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel from elsewhere, its weights in a {@code variables/} checkpoint under Keras's
 * variable names ({@code lstm/lstm_cell/kernel}, {@code dense/kernel}), lifted onto the ONNX file's
 * architecture by name role and shape ({@link SavedModelLift}) and compared with the ONNX file.
 * TensorFlow Java writes the checkpoint, a real tensor bundle, which {@link SavedModelTensors} reads
 * in pure Java.
 */
class KerasSavedModelWeightsTest {

  /** Writes a SavedModel whose variables hold {@code w}'s sine-lstm weights under Keras names. */
  static Path kerasSavedModel(Path dir, Weights w, float recurrentFactor) throws java.io.IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Ops cell = tf.withSubScope("lstm").withSubScope("lstm_cell");
      Ops dense = tf.withSubScope("dense");
      Map<String, Ops> scopes = new LinkedHashMap<>();
      scopes.put("lstm/kernel", cell.withName("kernel"));
      scopes.put("lstm/recurrent_kernel", cell.withName("recurrent_kernel"));
      scopes.put("lstm/bias", cell.withName("bias"));
      scopes.put("dense/kernel", dense.withName("kernel"));
      scopes.put("dense/bias", dense.withName("bias"));
      scopes.forEach((name, ops) -> {
        FloatTensor t = w.get(name);
        float[] v = t.data().clone();
        if (name.equals("lstm/recurrent_kernel")) {
          for (int i = 0; i < v.length; i++) {
            v[i] *= (i % 80) / 20 == 2 ? recurrentFactor : 1f; // block c of i, f, c, o
          }
        }
        ops.variable(tf.constant(Shape.of(t.shape()), DataBuffers.of(v, true, false)));
      });
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      var y = tf.withName("y").identity(x);
      try (Session s = new Session(g)) {
        s.initialize();
        SavedModelBundle.exporter(dir.toString()).withTags("serve").withSession(s)
            .withSignature(Signature.builder().key("serving_default").input("x", x).output("y", y).build()).export();
      }
    }
    return dir;
  }

  @Test
  void kerasNamedVariablesAreLiftedOntoTheOnnxArchitectureAndCompared(@TempDir Path dir) throws Exception {
    Path onnx = ArtifactPairs.sineLstm(dir);
    Weights w = Safetensors.read(dir.resolve("weights.safetensors")).weights();

    Path intact = kerasSavedModel(dir.resolve("keras_intact"), w, 1f);
    Map<String, FloatTensor> variables = SavedModelTensors.variables(intact);
    assertEquals(java.util.List.of("dense/bias", "dense/kernel", "lstm/lstm_cell/bias", "lstm/lstm_cell/kernel",
        "lstm/lstm_cell/recurrent_kernel"), java.util.List.copyOf(variables.keySet()));
    assertEquals(w.get("lstm/recurrent_kernel"), variables.get("lstm/lstm_cell/recurrent_kernel"));

    WeightComparison same = ArtifactWeights.compare(onnx, intact);
    assertEquals(WeightComparison.IDENTICAL, same.status(), same.describe());
    assertEquals("lifted onto the ONNX file's architecture by Keras variable names and shapes", same.savedModelSide());

    Path scaled = kerasSavedModel(dir.resolve("keras_scaled"), w, 1.01f);
    WeightComparison d = ArtifactWeights.compare(onnx, scaled);
    assertEquals(WeightComparison.DIFFER, d.status(), d.describe());
    assertEquals("recurrent_kernel", d.first().parameter());
    assertEquals("c", d.first().gateBlock());
    assertEquals(40, d.first().index()[1]);
    assertEquals(d.first().onnxValue() * 1.01f, d.first().savedModelValue(), 1e-7);
  }

  @Test
  void aSavedModelWhoseVariablesDoNotFitTheArchitectureIsNotComparedAndSaysWhich(@TempDir Path dir) throws Exception {
    Path onnx = ArtifactPairs.sineLstm(dir);
    Path other = dir.resolve("other");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      tf.withSubScope("dense").withName("kernel").variable(tf.constant(new float[][] {{1f, 2f}}));
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      var y = tf.withName("y").identity(x);
      try (Session s = new Session(g)) {
        s.initialize();
        SavedModelBundle.exporter(other.toString()).withTags("serve").withSession(s)
            .withSignature(Signature.builder().key("serving_default").input("x", x).output("y", y).build()).export();
      }
    }
    WeightComparison w = ArtifactWeights.compare(onnx, other);
    assertEquals(WeightComparison.NOT_COMPARED, w.status());
    assertTrue(w.savedModelSide().startsWith("not lifted: " + other + ": no variable fits parameter lstm/kernel[1, 80] (a"
        + " name ending in 'kernel' of shape [1, 80]); the SavedModel holds ["), w.savedModelSide());
    // the variable and the constant that initialised it
    assertTrue(w.savedModelSide().endsWith("dense/kernel[1, 2]]"), w.savedModelSide());
  }
}
