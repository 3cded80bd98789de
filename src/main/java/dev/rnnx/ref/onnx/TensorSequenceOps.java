package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Operators on sequence and optional values: {@code SequenceEmpty}, {@code SequenceConstruct},
 * {@code SequenceInsert}, {@code SequenceAt}, {@code SequenceErase}, {@code SequenceLength},
 * {@code ConcatFromSequence}, {@code SplitToSequence}, {@code Optional}, {@code OptionalHasElement},
 * {@code OptionalGetElement}. Positions may be negative (from the end).
 */
final class TensorSequenceOps {

  private TensorSequenceOps() {}

  static Value seq(Value v, String what) {
    if (v.kind() != Value.Kind.SEQUENCE) {
      throw new IllegalArgumentException(what + " must be a sequence, got a " + v.kind());
    }
    return v;
  }

  private static int position(Value pos, int size, boolean insert) {
    long p = pos.getLong(0);
    long lim = insert ? size + 1 : size;
    if (p < -size || p >= lim) {
      throw new IllegalArgumentException("position " + p + " is out of range for a sequence of " + size);
    }
    return (int) (p < 0 ? p + size : p);
  }

  static List<Value> empty(Node node, List<Value> in) {
    DataType t = DataType.fromOnnx((int) node.getInt("dtype", DataType.FLOAT.onnxCode()));
    return List.of(Value.sequence(t, List.of()));
  }

  static List<Value> construct(Node node, List<Value> in) {
    Value first = node.required(in, 0, "inputs");
    return List.of(Value.sequence(first.type(), in));
  }

  static List<Value> insert(Node node, List<Value> in) {
    Value s = seq(node.required(in, 0, "input_sequence"), "input_sequence");
    Value t = node.required(in, 1, "tensor");
    Value pos = Node.input(in, 2);
    List<Value> e = new ArrayList<>(s.elements());
    e.add(pos == null ? e.size() : position(pos, e.size(), true), t);
    return List.of(Value.sequence(s.type() == null ? t.type() : s.type(), e));
  }

  static List<Value> at(Node node, List<Value> in) {
    Value s = seq(node.required(in, 0, "input_sequence"), "input_sequence");
    return List.of(s.elements().get(position(node.required(in, 1, "position"), s.elements().size(), false)));
  }

  static List<Value> erase(Node node, List<Value> in) {
    Value s = seq(node.required(in, 0, "input_sequence"), "input_sequence");
    Value pos = Node.input(in, 1);
    List<Value> e = new ArrayList<>(s.elements());
    if (e.isEmpty()) {
      throw new IllegalArgumentException("cannot erase from an empty sequence");
    }
    e.remove(pos == null ? e.size() - 1 : position(pos, e.size(), false));
    return List.of(Value.sequence(s.type(), e));
  }

  static List<Value> length(Node node, List<Value> in) {
    Value s = seq(node.required(in, 0, "input_sequence"), "input_sequence");
    return List.of(Value.ofInt64(new long[0], s.elements().size()));
  }

  /** {@code ConcatFromSequence}: Concat of the elements along {@code axis}, or stacked with {@code new_axis = 1}. */
  static List<Value> concatFromSequence(Node node, List<Value> in) {
    Value s = seq(node.required(in, 0, "input_sequence"), "input_sequence");
    if (s.elements().isEmpty()) {
      throw new IllegalArgumentException("ConcatFromSequence of an empty sequence");
    }
    boolean newAxis = node.getInt("new_axis", 0) != 0;
    long axis = node.getInt("axis");
    List<Value> parts = new ArrayList<>();
    int rank = s.elements().get(0).rank();
    int a = Shapes.axis(axis, newAxis ? rank + 1 : rank, "axis");
    for (Value e : s.elements()) {
      if (newAxis) {
        long[] shape = new long[e.rank() + 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
          shape[d] = d == a ? 1 : e.dim(j++);
        }
        e = LayoutOps.reshaped(e, shape);
      }
      parts.add(e);
    }
    return List.of(IndexingOps.concat(parts, a));
  }

  /** {@code SplitToSequence}: Split's parts as a sequence; without {@code split}, parts of 1 (squeezed with keepdims = 0). */
  static List<Value> splitToSequence(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    Value split = Node.input(in, 1);
    int axis = Shapes.axis(node.getInt("axis", 0), x.rank(), "axis");
    long dim = x.dim(axis);
    long[] parts;
    boolean squeeze = false;
    if (split == null) {
      parts = new long[(int) dim];
      java.util.Arrays.fill(parts, 1);
      squeeze = node.getInt("keepdims", 1) == 0;
    } else if (split.rank() == 0) {
      long c = split.getLong(0);
      int n = (int) ((dim + c - 1) / c);
      parts = new long[n];
      for (int i = 0; i < n; i++) {
        parts[i] = Math.min(c, dim - i * c);
      }
    } else {
      parts = split.toLongArray();
    }
    List<Value> out = new ArrayList<>();
    long start = 0;
    for (long p : parts) {
      Value part = LayoutOps.range(x, axis, start, p);
      long[] shape = part.shape();
      if (squeeze) {
        long[] sq = new long[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
          if (d != axis) {
            sq[j++] = shape[d];
          }
        }
        part = LayoutOps.reshaped(part, sq);
      }
      out.add(part);
      start += p;
    }
    return List.of(Value.sequence(x.type(), out));
  }

  static List<Value> optional(Node node, List<Value> in) {
    Value v = Node.input(in, 0);
    return List.of(Value.optional(v == null ? null : v.type(), v));
  }

  static List<Value> hasElement(Node node, List<Value> in) {
    Value v = Node.input(in, 0);
    boolean has = v != null && (v.kind() != Value.Kind.OPTIONAL || !v.elements().isEmpty());
    return List.of(Value.ofLongs(DataType.BOOL, new long[0], new long[] {has ? 1 : 0}));
  }

  static List<Value> getElement(Node node, List<Value> in) {
    Value v = node.required(in, 0, "input");
    if (v.kind() != Value.Kind.OPTIONAL) {
      return List.of(v);
    }
    if (v.elements().isEmpty()) {
      throw new IllegalArgumentException("OptionalGetElement of an empty optional");
    }
    return List.of(v.elements().get(0));
  }

}
