package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.TransformerEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds PyTorch's pre-norm {@code TransformerEncoderLayer} ({@code norm_first=True}) by its shape:
 *
 * <pre>
 * a = x + attention(LN1(x))        add1: one input x, the other's ancestors hold LN1(x) and a Softmax
 * y = a + FFN(LN2(a))              add2: one input a, the other's ancestors hold LN2(a) and no Softmax
 * </pre>
 *
 * The Softmax conditions keep a block from spanning two layers of a stack (the second layer's
 * {@code x + attention(...)} also has the shape of {@code add2}). The parameters are then read as
 * for the post-norm block ({@link TransformerLift#read}); a final norm after a stack
 * ({@code TransformerEncoder(norm=...)}) lies outside every block and lifts as a layer norm.
 */
final class PreNormBlocks {

  private PreNormBlocks() {}

  /** The pre-norm blocks among {@code nodes}, each with its region. */
  static List<TransformerLift.Block> detect(OnnxGraph g, List<OnnxMl.NodeProto> nodes, Map<String, OnnxMl.NodeProto> producer) {
    List<TransformerLift.Block> blocks = new ArrayList<>();
    Set<OnnxMl.NodeProto> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    for (OnnxMl.NodeProto add2 : nodes) {
      if (!isAdd(add2) || taken.contains(add2)) {
        continue;
      }
      for (int i = 0; i < 2; i++) {
        String a = add2.getInput(i);
        OnnxMl.NodeProto add1 = producer.get(a);
        OnnxMl.NodeProto ln2 = add1 != null && isAdd(add1) ? branchNorm(a, add2.getInput(1 - i), nodes, producer, false) : null;
        if (ln2 == null) {
          continue;
        }
        OnnxMl.NodeProto ln1 = null;
        String x = null;
        for (int j = 0; j < 2 && ln1 == null; j++) {
          x = add1.getInput(j);
          ln1 = branchNorm(x, add1.getInput(1 - j), nodes, producer, true);
        }
        if (ln1 == null) {
          continue;
        }
        Set<OnnxMl.NodeProto> region = TransformerLift.region(x, add2, nodes, producer);
        TransformerLift lift = TransformerLift.read(g, region, ln1, ln2, add2, true, producer);
        blocks.add(new TransformerLift.Block(x, add2, region, lift, lift.width, TransformerEncoder.KIND));
        taken.addAll(region);
        break;
      }
    }
    return blocks;
  }

  private static boolean isAdd(OnnxMl.NodeProto n) {
    return n.getOpType().equals("Add") && n.getInputCount() == 2;
  }

  /**
   * The LayerNormalization of {@code residual} that {@code branch} is computed from, where the branch
   * (what it reads beyond the residual's own ancestors) holds a Softmax exactly when {@code attention};
   * null when there is none.
   */
  private static OnnxMl.NodeProto branchNorm(String residual, String branch, List<OnnxMl.NodeProto> nodes,
      Map<String, OnnxMl.NodeProto> producer, boolean attention) {
    Set<String> up = TransformerLift.ancestors(branch, producer);
    Set<String> before = TransformerLift.ancestors(residual, producer);
    boolean softmax = up.stream().filter(v -> !before.contains(v)).map(producer::get)
        .anyMatch(p -> p != null && (p.getOpType().equals("Softmax") || p.getOpType().equals("Attention")));
    if (softmax != attention) {
      return null;
    }
    for (OnnxMl.NodeProto n : nodes) {
      if (n.getOpType().equals("LayerNormalization") && n.getInput(0).equals(residual) && up.contains(n.getOutput(0))) {
        return n;
      }
    }
    return null;
  }
}
