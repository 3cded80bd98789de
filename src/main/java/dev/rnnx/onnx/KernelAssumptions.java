package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks, in Java and before any native runtime sees a model, what the kernels of the ops rnnx
 * emits and accepts assume of their inputs: ranks, axes and their agreement with attributes,
 * optional inputs given as empty names, attribute types and list lengths, element types, stored
 * tensors that hold what they declare, and the op's domain. ONNX Runtime trusts these and the ONNX
 * checker passes many of them; a model that breaks one can abort the process instead of failing.
 *
 * <p>The rules live per op family ({@link RecurrentKernelRule}, {@link MatrixKernelRules},
 * {@link TensorKernelRules}, {@link InitializerRule}); shapes are those known statically
 * ({@link GraphFacts}: initializers, constants, graph inputs, and what identity-like ops carry
 * forward), so an axis known only at run time is not checked here. Ops without a rule pass to the
 * runtime: validation is not complete, which is why untrusted models can also run in a child
 * process (docs/RELIABILITY.md). Every loader that opens ONNX Runtime passes through
 * {@link OnnxInterface#read} or calls {@link #check(Path, OnnxMl.ModelProto)} itself.
 */
public final class KernelAssumptions {

  /** The domains whose ops rnnx hands to a runtime. */
  private static final Set<String> DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml");

  private static final Map<String, Consumer<NodeCheck>> RULES = Map.ofEntries(
      Map.entry("LSTM", RecurrentKernelRule::check),
      Map.entry("GRU", RecurrentKernelRule::check),
      Map.entry("RNN", RecurrentKernelRule::check),
      Map.entry("Gemm", MatrixKernelRules::gemm),
      Map.entry("MatMul", MatrixKernelRules::matMul),
      Map.entry("Add", MatrixKernelRules::elementwise),
      Map.entry("Sub", MatrixKernelRules::elementwise),
      Map.entry("Mul", MatrixKernelRules::elementwise),
      Map.entry("Div", MatrixKernelRules::elementwise),
      Map.entry("Gather", TensorKernelRules::gather),
      Map.entry("Reshape", TensorKernelRules::reshape),
      Map.entry("Transpose", TensorKernelRules::transpose),
      Map.entry("Squeeze", TensorKernelRules::squeeze),
      Map.entry("Softmax", TensorKernelRules::softmax),
      Map.entry("LogSoftmax", TensorKernelRules::softmax),
      Map.entry("LayerNormalization", TensorKernelRules::layerNormalization),
      Map.entry("Conv", TensorKernelRules::conv));

  private KernelAssumptions() {}

  /**
   * Checks a model read from {@code file}.
   *
   * @throws KernelAssumptionException one line naming the file, the node (name and op type), the
   *     input or attribute and what was expected
   */
  public static void check(Path file, OnnxMl.ModelProto model) {
    check(String.valueOf(file), model);
  }

  /**
   * Checks a model; {@code source} names it in the message.
   *
   * @throws KernelAssumptionException as {@link #check(Path, OnnxMl.ModelProto)}
   */
  public static void check(String source, OnnxMl.ModelProto model) {
    long opset = 0;
    for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        opset = o.getVersion();
      }
    }
    Set<String> domains = new HashSet<>(DOMAINS);
    model.getFunctionsList().forEach(f -> domains.add(f.getDomain()));
    graph(source, model.getGraph(), null, opset, domains);
  }

  private static void graph(String source, OnnxMl.GraphProto g, GraphFacts outer, long opset, Set<String> domains) {
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      InitializerRule.check(source, "initializer", t);
    }
    GraphFacts facts = GraphFacts.of(g, outer);
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (!domains.contains(n.getDomain())) {
        throw new KernelAssumptionException(source + ": node '" + n.getName() + "' (" + n.getOpType() + ") is in domain '"
            + n.getDomain() + "', which rnnx does not run; expected the default ONNX domain (ai.onnx) or ai.onnx.ml");
      }
      for (OnnxMl.AttributeProto a : n.getAttributeList()) {
        if (a.hasT()) {
          InitializerRule.check(source, "node '" + n.getName() + "' (" + n.getOpType() + ") attribute '" + a.getName() + "' tensor", a.getT());
        }
        if (a.hasG()) {
          graph(source, a.getG(), facts, opset, domains);
        }
        for (OnnxMl.GraphProto sub : a.getGraphsList()) {
          graph(source, sub, facts, opset, domains);
        }
      }
      Consumer<NodeCheck> rule = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? RULES.get(n.getOpType()) : null;
      if (rule != null) {
        rule.accept(new NodeCheck(source, n, facts, opset));
      }
      facts.after(n);
    }
  }
}
