package dev.rnnx.spec;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a {@link Graph} merge node combines its input tensors, Keras's merge layers: {@code
 * concatenate} on the last axis, or the elementwise {@code add}, {@code multiply}, {@code average}
 * (the sum divided by the count) and {@code subtract} (exactly two inputs, first minus second).
 * Merge nodes have no parameters.
 */
public enum GraphMerge {
  /** Keras {@code Concatenate(axis=-1)}. */
  CONCATENATE,
  /** Keras {@code Add}. */
  ADD,
  /** Keras {@code Multiply}. */
  MULTIPLY,
  /** Keras {@code Average}. */
  AVERAGE,
  /** Keras {@code Subtract}: two inputs, the first minus the second. */
  SUBTRACT;

  /** The name recipes use: {@code concatenate}, {@code add}, … */
  public String recipeName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The merge of a recipe name, or null when the name is not a merge. */
  public static GraphMerge fromRecipeName(String name) {
    return Arrays.stream(values()).filter(m -> m.recipeName().equals(name)).findFirst().orElse(null);
  }

  /**
   * The output shape of merging {@code shapes}.
   *
   * @throws IllegalArgumentException naming the node when the shapes cannot be merged
   */
  public Shape outputShape(String node, java.util.List<Shape> shapes) {
    if (shapes.size() < 2 || (this == SUBTRACT && shapes.size() != 2)) {
      throw new IllegalArgumentException("merge node '" + node + "' (" + recipeName() + ") has " + shapes.size()
          + " input(s), expected " + (this == SUBTRACT ? "exactly 2" : "at least 2"));
    }
    Shape first = shapes.get(0);
    int last = 0;
    for (Shape s : shapes) {
      if (s.rank() != first.rank()) {
        throw new IllegalArgumentException("merge node '" + node + "' (" + recipeName() + ") reads tensors of ranks "
            + shapes.stream().map(Shape::rank).toList() + ", expected one rank");
      }
      for (int i = 0; i < s.rank() - (this == CONCATENATE ? 1 : 0); i++) {
        if (s.dim(i) != first.dim(i) && s.dim(i) != Shape.DYNAMIC && first.dim(i) != Shape.DYNAMIC) {
          throw new IllegalArgumentException("merge node '" + node + "' (" + recipeName() + ") reads shapes " + shapes
              + ", expected equal dimensions" + (this == CONCATENATE ? " except the last" : ""));
        }
      }
      last += s.dim(-1);
    }
    if (this != CONCATENATE) {
      return first;
    }
    return first.withLast(last);
  }
}
