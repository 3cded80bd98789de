package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.GraphFacts.Fact;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One node under {@link KernelAssumptions}: its inputs' known facts, its attributes read with
 * their types checked, and the one-line refusal naming the file, the node, the input or attribute
 * and what was expected.
 */
final class NodeCheck {

  /** Element types by ONNX code. */
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int FLOAT16 = 10;
  static final int DOUBLE = 11;
  static final int BFLOAT16 = 16;
  static final Set<Integer> FLOATS = Set.of(FLOAT, FLOAT16, DOUBLE);
  static final Set<Integer> FLOATS_BF = Set.of(FLOAT, FLOAT16, DOUBLE, BFLOAT16);
  static final Set<Integer> INDICES = Set.of(INT32, INT64);
  static final Set<Integer> NUMBERS = Set.of(FLOAT, FLOAT16, DOUBLE, BFLOAT16, INT32, INT64, 12, 13);

  private final String source;
  private final OnnxMl.NodeProto node;
  private final GraphFacts facts;
  private final long opset;

  NodeCheck(String source, OnnxMl.NodeProto node, GraphFacts facts, long opset) {
    this.source = source;
    this.node = node;
    this.facts = facts;
    this.opset = opset;
  }

  OnnxMl.NodeProto node() {
    return node;
  }

  long opset() {
    return opset;
  }

  /** Whether input {@code i} is given (present and not an empty name). */
  boolean given(int i) {
    return i < node.getInputCount() && !node.getInput(i).isEmpty();
  }

  /** The facts of input {@code i}, or {@code null} when absent or unknown. */
  Fact in(int i) {
    return given(i) ? facts.get(node.getInput(i)) : null;
  }

  /** The constant input {@code i} holds, or {@code null}. */
  OnnxMl.TensorProto constant(int i) {
    return given(i) ? facts.constant(node.getInput(i)) : null;
  }

  /** Refuses unless input {@code i} is given. */
  void require(int i, String role) {
    if (!given(i)) {
      throw failInput(i, role, "a tensor (a required input)", i < node.getInputCount() ? "an empty name" : "none");
    }
  }

  /** Refuses more than {@code max} inputs or outputs. */
  void arity(int maxInputs, int maxOutputs) {
    if (node.getInputCount() > maxInputs) {
      throw fail("expected at most " + maxInputs + " inputs, got " + node.getInputCount());
    }
    if (node.getOutputCount() > maxOutputs) {
      throw fail("expected at most " + maxOutputs + " outputs, got " + node.getOutputCount());
    }
  }

  /** Refuses input {@code i} when its known element type is not one of {@code allowed}. */
  void type(int i, String role, Set<Integer> allowed) {
    Fact f = in(i);
    if (f != null && f.type() != 0 && !allowed.contains(f.type())) {
      List<String> names = new ArrayList<>();
      allowed.stream().sorted().forEach(t -> names.add(OnnxInterface.typeName(t)));
      throw failInput(i, role, "element type " + String.join(" or ", names), OnnxInterface.typeName(f.type()));
    }
  }

  /** Refuses input {@code i} when its known element type differs from input {@code j}'s. */
  void sameType(int i, String role, int j, String jRole) {
    Fact a = in(i);
    Fact b = in(j);
    if (a != null && b != null && a.type() != 0 && b.type() != 0 && a.type() != b.type()) {
      throw failInput(i, role, "element type " + OnnxInterface.typeName(b.type()) + " (that of " + jRole + ")",
          OnnxInterface.typeName(a.type()));
    }
  }

  /** Refuses input {@code i} when its rank is known and not {@code rank}. */
  void rank(int i, String role, int rank) {
    Fact f = in(i);
    if (f != null && f.dims() != null && f.rank() != rank) {
      throw failInput(i, role, "rank " + rank, "shape " + str(f.dims()));
    }
  }

  /**
   * Refuses input {@code i} when a known axis differs from {@code expected} ({@code -1}: any),
   * or its rank is known and differs; {@code what} describes the expected shape.
   */
  void shape(int i, String role, long[] expected, String what) {
    Fact f = in(i);
    if (f == null || f.dims() == null) {
      return;
    }
    boolean ok = f.rank() == expected.length;
    for (int k = 0; ok && k < expected.length; k++) {
      ok = expected[k] < 0 || f.dims()[k] < 0 || expected[k] == f.dims()[k];
    }
    if (!ok) {
      throw failInput(i, role, "shape " + what, str(f.dims()));
    }
  }

  /** An integer attribute, {@code null} when absent; refused when of another type. */
  Long attrInt(String name) {
    OnnxMl.AttributeProto a = attr(name, OnnxMl.AttributeProto.AttributeType.INT);
    return a == null ? null : a.getI();
  }

  /** A float attribute, {@code null} when absent; refused when of another type. */
  Float attrFloat(String name) {
    OnnxMl.AttributeProto a = attr(name, OnnxMl.AttributeProto.AttributeType.FLOAT);
    return a == null ? null : a.getF();
  }

  /** A string attribute, {@code null} when absent; refused when of another type. */
  String attrString(String name) {
    OnnxMl.AttributeProto a = attr(name, OnnxMl.AttributeProto.AttributeType.STRING);
    return a == null ? null : a.getS().toStringUtf8();
  }

  /** An integer-list attribute, {@code null} when absent; refused when of another type. */
  List<Long> attrInts(String name) {
    OnnxMl.AttributeProto a = attr(name, OnnxMl.AttributeProto.AttributeType.INTS);
    return a == null ? null : a.getIntsList();
  }

  /** A float-list attribute, {@code null} when absent; refused when of another type. */
  List<Float> attrFloats(String name) {
    OnnxMl.AttributeProto a = attr(name, OnnxMl.AttributeProto.AttributeType.FLOATS);
    return a == null ? null : a.getFloatsList();
  }

  /** A string-list attribute, {@code null} when absent; refused when of another type. */
  List<String> attrStrings(String name) {
    OnnxMl.AttributeProto a = attr(name, OnnxMl.AttributeProto.AttributeType.STRINGS);
    return a == null ? null : a.getStringsList().stream().map(com.google.protobuf.ByteString::toStringUtf8).toList();
  }

  private OnnxMl.AttributeProto attr(String name, OnnxMl.AttributeProto.AttributeType type) {
    OnnxMl.AttributeProto found = null;
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        if (found != null) {
          throw failAttr(name, "one attribute of that name", "two");
        }
        found = a;
      }
    }
    if (found != null && found.getType() != type) {
      throw failAttr(name, type.name(), found.getType().name());
    }
    return found;
  }

  /** A refusal about the node as a whole. */
  KernelAssumptionException fail(String what) {
    return new KernelAssumptionException(where() + ": " + what);
  }

  /** A refusal about input {@code i}. */
  KernelAssumptionException failInput(int i, String role, String expected, String got) {
    String name = i < node.getInputCount() ? node.getInput(i) : "";
    return new KernelAssumptionException(where() + " input " + i + " '" + name + "' (" + role + "): expected "
        + expected + ", got " + got);
  }

  /** A refusal about attribute {@code name}. */
  KernelAssumptionException failAttr(String name, String expected, String got) {
    return new KernelAssumptionException(where() + " attribute '" + name + "': expected " + expected + ", got " + got);
  }

  private String where() {
    return source + ": node '" + node.getName() + "' (" + node.getOpType() + ")";
  }

  /** A shape as {@code [2, ?, 8]}. */
  static String str(long[] dims) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      b.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "?" : Long.toString(dims[i]));
    }
    return b.append(']').toString();
  }

  /** An axis attribute within {@code [-rank, rank-1]} when the rank is known. */
  void axis(String name, long axis, int rank) {
    if (rank >= 0 && (axis < -rank || axis >= Math.max(rank, 1))) {
      throw failAttr(name, "an axis in [" + (-rank) + ", " + (rank - 1) + "] (input rank " + rank + ")", Long.toString(axis));
    }
  }

  /** A size, {@code ?} when unknown (negative). */
  static String q(long v) {
    return v < 0 ? "?" : Long.toString(v);
  }

  /** {@code [a, b, c]} for a list. */
  static String list(List<?> values) {
    return Arrays.toString(values.toArray());
  }
}
