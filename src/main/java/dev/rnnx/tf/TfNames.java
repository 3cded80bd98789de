package dev.rnnx.tf;

import org.tensorflow.op.Ops;

/** Graph op names for rnnx's slash-separated names, e.g. {@code lstm/kernel}. */
final class TfNames {

  private TfNames() {}

  /**
   * Ops whose next op is named {@code path}. TF Java refuses '/' in {@code withName}, so every
   * segment but the last becomes a sub-scope.
   */
  static Ops named(Ops tf, String path) {
    String[] parts = path.split("/");
    Ops scoped = tf;
    for (int i = 0; i < parts.length - 1; i++) {
      scoped = scoped.withSubScope(parts[i]);
    }
    return scoped.withName(parts[parts.length - 1]);
  }

  /**
   * Ops whose next op, a variable, is named after a parameter with '.' for '/' ({@code lstm.kernel}).
   * The optimisers name their slots {@code <variable op name>-m} through {@code withName}, which
   * refuses '/', so a variable cannot live in a sub-scope. '.' never occurs in a layer name, so the
   * names stay unambiguous.
   */
  static Ops variable(Ops tf, String parameter) {
    return tf.withName(parameter.replace('/', '.'));
  }
}
