package dev.rnnx.djl;

import dev.rnnx.spec.LongTensor;
import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A SavedModel with integer inputs, written with TensorFlow Java 1.1.0: token ids {@code input}
 * int64 {@code [batch, time]} and {@code lengths} int32 {@code [batch]}; output {@code output}
 * float {@code [batch, time, 2]} = row {@code id} of {@link #TABLE} at steps before the sequence's
 * length, zero after (a masked embedding lookup). {@link #expected} computes the same in Java.
 */
final class TinyTokens {

  /** The embedding table: 5 tokens, 2 values each. */
  static final float[][] TABLE = {{0.1f, -0.2f}, {0.3f, 0.4f}, {-0.5f, 0.6f}, {0.7f, -0.8f}, {0.9f, 1.0f}};

  private TinyTokens() {}

  static Path write(Path dir) throws IOException {
    try (Graph g = new Graph();
        Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      var ids = tf.withName("input").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
      var lengths = tf.withName("lengths").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      var rows = tf.gather(tf.constant(TABLE), ids, tf.constant(0)); // [B, T, 2]
      var time = tf.gather(tf.shape(ids), tf.constant(1), tf.constant(0));
      var steps = tf.range(tf.constant(0), time, tf.constant(1)); // [T]
      var valid = tf.math.less(tf.expandDims(steps, tf.constant(0)), tf.expandDims(lengths, tf.constant(1))); // [B, T]
      var mask = tf.expandDims(tf.dtypes.cast(valid, TFloat32.class), tf.constant(-1));
      var out = tf.withName("masked").math.mul(rows, mask);
      Signature signature = Signature.builder("serving_default").input("input", ids).input("lengths", lengths)
          .output("output", out).build();
      SavedModelBundle.exporter(dir.toString())
          .withTags(SavedModelArtifact.TAG)
          .withFunction(SessionFunction.create(signature, session))
          .export();
    }
    return dir;
  }

  /** What the model computes, in Java. */
  static double[] expected(LongTensor ids, LongTensor lengths) {
    int batch = (int) ids.dim(0);
    int time = (int) ids.dim(1);
    double[] out = new double[batch * time * 2];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < lengths.data()[b]; t++) {
        for (int j = 0; j < 2; j++) {
          out[(b * time + t) * 2 + j] = TABLE[(int) ids.data()[b * time + t]][j];
        }
      }
    }
    return out;
  }
}
