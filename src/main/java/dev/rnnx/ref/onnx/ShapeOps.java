package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Operators that change a tensor's shape but not the order of its elements: {@code Identity},
 * {@code Squeeze}, {@code Unsqueeze}, {@code Reshape}, {@code Flatten}, and the shape queries
 * {@code Shape} and {@code Size}. Operators that copy elements to new positions are
 * {@link IndexingOps}'.
 *
 * <p>Where an operator moved an attribute to an input, both forms are read by opset: the axes of
 * {@code Squeeze}/{@code Unsqueeze} are an attribute below opset 13 and an input from 13; the shape
 * of {@code Reshape} is an attribute below opset 5 and an input from 5.
 */
final class ShapeOps {

  private ShapeOps() {}

  /** The same elements under another shape. */
  static Value reshaped(Value v, long[] shape) {
    if (v.type().isFloating()) {
      return Value.wrapDoubles(v.type(), shape, v.doublesRef());
    }
    return Value.wrapLongs(v.type(), shape, v.longsRef().clone());
  }

  /** The integer elements of a 1-D (or scalar) tensor, such as axes or shapes given as inputs. */
  static long[] ints(Value v, String what) {
    if (v.type().isFloating() || v.rank() > 1) {
      throw new IllegalArgumentException(what + " must be a 1-D integer tensor, got " + v.type()
          + Shapes.str(v.shapeRef()));
    }
    return v.toLongArray();
  }

  static List<Value> identity(Node node, List<Value> in) {
    return List.of(node.required(in, 0, "input"));
  }

  /** The axes of Squeeze/Unsqueeze: the attribute before opset 13, the second input from 13. */
  private static long[] axesOf(Node node, List<Value> in) {
    if (node.opset() < 13) {
      return node.getInts("axes");
    }
    Value axes = Node.input(in, 1);
    return axes == null ? null : ints(axes, "axes");
  }

  static List<Value> squeeze(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    long[] axes = axesOf(node, in);
    boolean[] drop = new boolean[x.rank()];
    if (axes == null) {
      for (int d = 0; d < x.rank(); d++) {
        drop[d] = x.dim(d) == 1;
      }
    } else {
      for (long a : axes) {
        int d = Shapes.axis(a, x.rank(), "axis");
        if (x.dim(d) != 1) {
          throw new IllegalArgumentException("cannot squeeze axis " + a + " of shape " + Shapes.str(x.shapeRef())
              + ": its size is not 1");
        }
        drop[d] = true;
      }
    }
    List<Long> out = new ArrayList<>();
    for (int d = 0; d < x.rank(); d++) {
      if (!drop[d]) {
        out.add(x.dim(d));
      }
    }
    return List.of(reshaped(x, toArray(out)));
  }

  static List<Value> unsqueeze(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    long[] axes = axesOf(node, in);
    if (axes == null) {
      throw new IllegalArgumentException("Unsqueeze needs axes");
    }
    int rank = x.rank() + axes.length;
    boolean[] added = new boolean[rank];
    for (long a : axes) {
      int d = Shapes.axis(a, rank, "axis");
      if (added[d]) {
        throw new IllegalArgumentException("axes " + Arrays.toString(axes) + " repeat an axis");
      }
      added[d] = true;
    }
    long[] out = new long[rank];
    int j = 0;
    for (int d = 0; d < rank; d++) {
      out[d] = added[d] ? 1 : x.dim(j++);
    }
    return List.of(reshaped(x, out));
  }

  static List<Value> reshape(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    long[] shape = node.opset() < 5 ? node.getInts("shape") : ints(node.required(in, 1, "shape"), "shape");
    if (shape == null) {
      throw new IllegalArgumentException("Reshape needs a shape");
    }
    boolean allowZero = node.opset() >= 14 && node.getInt("allowzero", 0) != 0;
    long[] out = shape.clone();
    int inferred = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0 && !allowZero) {
        if (i >= x.rank()) {
          throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " copies dimension " + i
              + ", which input shape " + Shapes.str(x.shapeRef()) + " lacks");
        }
        out[i] = x.dim(i);
      }
      if (out[i] == -1) {
        if (inferred >= 0) {
          throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than one -1");
        }
        inferred = i;
      } else if (out[i] < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has an invalid dimension");
      } else {
        known *= out[i];
      }
    }
    if (inferred >= 0) {
      if (known == 0 || x.size() % known != 0) {
        throw new IllegalArgumentException("cannot infer the -1 in " + Arrays.toString(shape) + " for "
            + x.size() + " elements");
      }
      out[inferred] = x.size() / known;
    }
    if (Shapes.size(out) != x.size()) {
      throw new IllegalArgumentException("cannot reshape " + Shapes.str(x.shapeRef()) + " to "
          + Arrays.toString(shape));
    }
    return List.of(reshaped(x, out));
  }

  static List<Value> flatten(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    long a = node.getInt("axis", 1);
    int axis = a == x.rank() ? x.rank() : Shapes.axis(a, x.rank(), "axis");
    long[] out = {Shapes.product(x.shapeRef(), 0, axis), Shapes.product(x.shapeRef(), axis, x.rank())};
    return List.of(reshaped(x, out));
  }

  /** {@code Shape}, with the {@code start}/{@code end} attributes of opset 15 (clamped to the rank). */
  static List<Value> shape(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    int rank = x.rank();
    long start = node.getInt("start", 0);
    long end = node.getInt("end", rank);
    start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
    end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
    long[] r = Arrays.copyOfRange(x.shapeRef(), (int) start, (int) Math.max(start, end));
    return List.of(Value.ofInt64(new long[] {r.length}, r));
  }

  static List<Value> size(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    return List.of(Value.ofInt64(new long[0], x.size()));
  }

  private static long[] toArray(List<Long> l) {
    long[] r = new long[l.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = l.get(i);
    }
    return r;
  }
}
