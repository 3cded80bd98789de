package dev.rnnx.spec;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a {@link Graph} merge node combines its input tensors, Keras's merge layers: {@code
 * concatenate} on the last axis, or the elementwise {@code add}, {@code multiply}, {@code average}
 * (the sum divided by the count) and {@code subtract} (exactly two inputs, first minus second);
 * and the split of one tensor's last axis into halves, {@code first_half} and {@code second_half}
 * (a Keras {@code Bidirectional(merge_mode=None)}'s forward and backward outputs, read from its
 * {@code concat}). Merge nodes have no parameters.
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
  SUBTRACT,
  /** The first half of one tensor's last axis (a {@code Bidirectional(merge_mode=None)}'s forward output). */
  FIRST_HALF,
  /** The second half of one tensor's last axis (a {@code Bidirectional(merge_mode=None)}'s backward output). */
  SECOND_HALF;

  /** Whether this merge takes one half of one tensor's last axis. */
  public boolean half() {
    return this == FIRST_HALF || this == SECOND_HALF;
  }

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
    if (half()) {
      if (shapes.size() != 1 || shapes.get(0).dim(-1) == Shape.DYNAMIC || shapes.get(0).dim(-1) % 2 != 0) {
        throw new IllegalArgumentException("merge node '" + node + "' (" + recipeName() + ") reads " + shapes
            + ", expected one tensor whose last axis has an even, fixed width");
      }
      return shapes.get(0).withLast(shapes.get(0).dim(-1) / 2);
    }
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
