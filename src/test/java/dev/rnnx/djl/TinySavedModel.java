package dev.rnnx.djl;

import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes {@link TinyMath}'s model as a SavedModel with TensorFlow Java 1.1.0: placeholder
 * {@code input} {@code [-1, -1, 3]}, BatchMatMul with a constant, Add, and outputs {@code output}
 * (tanh) and {@code state_h} (pre-activation) under the given signature key, tag {@code serve}.
 */
final class TinySavedModel {

  private TinySavedModel() {}

  /** Writes the model with {@code W} and {@code b} as constants. */
  static Path write(Path dir, String signatureKey) throws IOException {
    return write(dir, signatureKey, false);
  }

  /**
   * Writes the model.
   *
   * @param withVariable hold {@code b} in a variable, so the SavedModel has a {@code variables/}
   *     checkpoint
   */
  static Path write(Path dir, String signatureKey, boolean withVariable) throws IOException {
    try (Graph g = new Graph();
        Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.withName("input").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, TinyMath.IN)));
      var w = tf.constant(TinyMath.W);
      Operand<TFloat32> b = withVariable ? tf.variable(tf.constant(TinyMath.B)) : tf.constant(TinyMath.B);
      var pre = tf.withName("pre").math.add(tf.train.batchMatMul(x, w, TFloat32.class), b);
      var out = tf.withName("out").math.tanh(pre);
      var state = tf.withName("state").identity(pre);
      if (withVariable) {
        session.initialize();
      }
      Signature signature =
          Signature.builder(signatureKey).input("input", x).output("output", out).output("state_h", state).build();
      SavedModelBundle.exporter(dir.toString())
          .withTags(SavedModelArtifact.TAG)
          .withFunction(SessionFunction.create(signature, session))
          .export();
    }
    return dir;
  }
}
