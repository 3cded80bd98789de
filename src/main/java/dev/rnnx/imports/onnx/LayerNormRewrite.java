package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.tensorio.TensorProtoCodec;
import dev.rnnx.tensorio.TypedTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the decomposed layer normalisation that {@code torch.onnx} writes below opset 17 back into
 * one {@code LayerNormalization} node, before the graph is lifted:
 *
 * <pre>
 * m = ReduceMean(x, axes [-1]); d = Sub(x, m); v = ReduceMean(Pow(d, 2), axes [-1])
 * y = Add(Mul(Div(d, Sqrt(Add(v, eps))), gamma), beta)      →   LayerNormalization(x, gamma, beta, epsilon = eps)
 * </pre>
 *
 * Matched by the ops and the constants they read, never by names; the intermediate values must be
 * read only inside the pattern. Anything that does not match is left as it is (and refused later if
 * nothing else reads it).
 */
final class LayerNormRewrite {

  private final Map<String, List<OnnxMl.NodeProto>> readers = new HashMap<>();
  private final Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
  private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();

  private LayerNormRewrite(OnnxMl.GraphProto g) {
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      n.getInputList().forEach(i -> readers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
      n.getOutputList().forEach(o -> producer.put(o, n));
    }
    g.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
  }

  /** The graph with every decomposed layer normalisation folded into one node. */
  static OnnxMl.GraphProto rewrite(OnnxMl.GraphProto g) {
    LayerNormRewrite r = new LayerNormRewrite(g);
    Set<OnnxMl.NodeProto> removed = new HashSet<>();
    Map<OnnxMl.NodeProto, OnnxMl.NodeProto> replacedBy = new HashMap<>();
    for (OnnxMl.NodeProto mean : g.getNodeList()) {
      List<OnnxMl.NodeProto> match = r.match(mean);
      if (match != null) {
        removed.addAll(match.subList(0, match.size() - 1));
        replacedBy.put(match.get(match.size() - 2), match.get(match.size() - 1));
      }
    }
    if (removed.isEmpty()) {
      return g;
    }
    OnnxMl.GraphProto.Builder b = g.toBuilder().clearNode();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (replacedBy.containsKey(n)) {
        b.addNode(replacedBy.get(n));
      } else if (!removed.contains(n)) {
        b.addNode(n);
      }
    }
    return b.build();
  }

  /** The nine nodes of the pattern starting at {@code mean}, then the node replacing them; null when it does not match. */
  private List<OnnxMl.NodeProto> match(OnnxMl.NodeProto mean) {
    if (!isMean(mean)) {
      return null;
    }
    String x = mean.getInput(0);
    OnnxMl.NodeProto sub = only(mean.getOutput(0), "Sub");
    if (sub == null || !sub.getInput(0).equals(x) || !sub.getInput(1).equals(mean.getOutput(0))) {
      return null;
    }
    List<OnnxMl.NodeProto> subReaders = readers.getOrDefault(sub.getOutput(0), List.of());
    OnnxMl.NodeProto pow = subReaders.stream().filter(n -> n.getOpType().equals("Pow")).findFirst().orElse(null);
    OnnxMl.NodeProto div = subReaders.stream().filter(n -> n.getOpType().equals("Div")).findFirst().orElse(null);
    if (subReaders.size() != 2 || pow == null || div == null || !Double.valueOf(2.0).equals(scalar(pow.getInput(1)))
        || !div.getInput(0).equals(sub.getOutput(0))) {
      return null;
    }
    OnnxMl.NodeProto var = only(pow.getOutput(0), "ReduceMean");
    if (var == null || !isMean(var)) {
      return null;
    }
    OnnxMl.NodeProto addEps = only(var.getOutput(0), "Add");
    OnnxMl.NodeProto sqrt = addEps == null ? null : only(addEps.getOutput(0), "Sqrt");
    if (sqrt == null || !div.getInput(1).equals(sqrt.getOutput(0)) || readers.get(div.getOutput(0)) == null) {
      return null;
    }
    Double eps = scalar(other(addEps, var.getOutput(0)));
    OnnxMl.NodeProto mul = only(div.getOutput(0), "Mul");
    OnnxMl.NodeProto add = mul == null ? null : only(mul.getOutput(0), "Add");
    if (eps == null || add == null) {
      return null;
    }
    String gamma = other(mul, div.getOutput(0));
    String beta = other(add, mul.getOutput(0));
    if (!isConstant(gamma) || !isConstant(beta)) {
      return null;
    }
    String scope = mean.getName().contains("/") ? mean.getName().substring(0, mean.getName().lastIndexOf('/')) : mean.getName();
    OnnxMl.NodeProto ln = OnnxMl.NodeProto.newBuilder().setOpType("LayerNormalization")
        .setName(scope + "/LayerNormalization").addInput(x).addInput(gamma).addInput(beta).addOutput(add.getOutput(0))
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(-1))
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("epsilon").setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
            .setF(eps.floatValue()))
        .build();
    return List.of(mean, sub, pow, var, addEps, sqrt, div, mul, add, ln);
  }

  private static boolean isMean(OnnxMl.NodeProto n) {
    return n.getOpType().equals("ReduceMean") && n.getInputCount() == 1 && List.of(-1L).equals(OnnxGraph.intsAttr(n, "axes"))
        && OnnxGraph.intAttr(n, "keepdims", 1) == 1;
  }

  /** The one node reading {@code value}, when it has this op. */
  private OnnxMl.NodeProto only(String value, String op) {
    List<OnnxMl.NodeProto> r = readers.getOrDefault(value, List.of());
    return r.size() == 1 && r.get(0).getOpType().equals(op) ? r.get(0) : null;
  }

  private static String other(OnnxMl.NodeProto binary, String known) {
    return binary.getInput(0).equals(known) ? binary.getInput(1) : binary.getInput(0);
  }

  private boolean isConstant(String name) {
    OnnxMl.NodeProto p = producer.get(name);
    return initializers.containsKey(name) || (p != null && p.getOpType().equals("Constant"));
  }

  /** A one-element float constant's value, or null. */
  private Double scalar(String name) {
    OnnxMl.TensorProto t = initializers.get(name);
    OnnxMl.NodeProto p = producer.get(name);
    if (t == null && p != null && p.getOpType().equals("Constant") && p.getAttributeCount() == 1 && p.getAttribute(0).hasT()) {
      t = p.getAttribute(0).getT();
    }
    if (t == null) {
      return null;
    }
    try {
      TypedTensor v = TensorProtoCodec.decode(t);
      return v.size() == 1 && v.type().isFloating() ? v.doubles()[0] : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
