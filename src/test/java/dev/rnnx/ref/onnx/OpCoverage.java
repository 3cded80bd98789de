package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import java.util.Set;
import java.util.TreeSet;

/** The ops of a model (subgraphs included) that the evaluator lacks at the model's opset. */
final class OpCoverage {

  private OpCoverage() {}

  /** Each lacking op as {@code Op@opset} (or {@code domain:Op}). */
  static Set<String> lacking(ModelProto model) {
    int opset = 1;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        opset = (int) o.getVersion();
      }
    }
    Set<String> out = new TreeSet<>();
    collect(model.getGraph(), opset, out);
    return out;
  }

  private static void collect(GraphProto g, int opset, Set<String> out) {
    for (NodeProto n : g.getNodeList()) {
      if (n.getDomain().equals(TrainingOps.DOMAIN) && OpRegistry.previewTraining(n.getOpType()) != null) {
        continue;
      } else if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
        out.add(n.getDomain() + ":" + n.getOpType());
      } else {
        OpRegistry.Entry e = OpRegistry.get(n.getOpType());
        if (e == null || e.sinceOpset() > opset) {
          out.add(n.getOpType() + "@" + opset);
        }
      }
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) {
          collect(a.getG(), opset, out);
        }
        a.getGraphsList().forEach(sg -> collect(sg, opset, out));
      }
    }
  }
}
