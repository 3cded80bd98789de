package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which ops rnnx emits have float16 kernels on ONNX Runtime's CPU provider: each op is built as a
 * one-node float16 model, and the model ONNX Runtime actually runs (its optimised-model output) is
 * searched for the Casts its {@code InsertCastTransformer} puts around a node that has no float16
 * CPU kernel. The result is why {@link ModelVariant#FP16} stores weights in float16 but computes
 * in float32 ({@code fp16_cpu_compute_kernels} in {@code converters/runtimes.yaml}).
 */
class Fp16CpuKernelsTest {

  private static final int F16 = OnnxMl.TensorProto.DataType.FLOAT16_VALUE;

  /** Op → its float16 inputs' shapes (rank only matters) and attributes. */
  private static Map<String, OnnxMl.NodeProto> nodes() {
    Map<String, OnnxMl.NodeProto> m = new LinkedHashMap<>();
    m.put("LSTM", node("LSTM", 3, 1, OnnxMl.AttributeProto.newBuilder().setName("hidden_size").setI(2)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).build()));
    m.put("GRU", node("GRU", 3, 1, OnnxMl.AttributeProto.newBuilder().setName("hidden_size").setI(2)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).build()));
    m.put("RNN", node("RNN", 3, 1, OnnxMl.AttributeProto.newBuilder().setName("hidden_size").setI(2)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).build()));
    m.put("MatMul", node("MatMul", 2, 1));
    m.put("Gemm", node("Gemm", 3, 1));
    m.put("Add", node("Add", 2, 1));
    m.put("Mul", node("Mul", 2, 1));
    m.put("Sigmoid", node("Sigmoid", 1, 1));
    m.put("Tanh", node("Tanh", 1, 1));
    m.put("Relu", node("Relu", 1, 1));
    m.put("Softmax", node("Softmax", 1, 1));
    m.put("LayerNormalization", node("LayerNormalization", 3, 1));
    m.put("ReduceMean", node("ReduceMean", 1, 1));
    return m;
  }

  private static OnnxMl.NodeProto node(String op, int inputs, int outputs, OnnxMl.AttributeProto... attrs) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op);
    for (int i = 0; i < inputs; i++) {
      n.addInput("in" + i);
    }
    for (int i = 0; i < outputs; i++) {
      n.addOutput("out" + i);
    }
    for (OnnxMl.AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    return n.build();
  }

  /** Whether ONNX Runtime runs the op's float16 node without inserting Casts around it. */
  private static boolean hasFp16Kernel(OnnxMl.NodeProto node, Path dir) throws Exception {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(node.getOpType()).addNode(node);
    for (String in : node.getInputList()) {
      g.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(in).setType(OnnxMl.TypeProto.newBuilder()
          .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(F16))));
    }
    for (String out : node.getOutputList()) {
      g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(out).setType(OnnxMl.TypeProto.newBuilder()
          .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(F16))));
    }
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
    Path optimized = dir.resolve(node.getOpType() + ".optimized.onnx");
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      o.setOptimizedModelFilePath(optimized.toString());
      try (OrtSession s = OrtRunner.env().createSession(model.toByteArray(), o)) {
        // created: the optimised model is written
      }
    }
    OnnxMl.ModelProto ran = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(optimized));
    return ran.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Cast"));
  }

  @Test
  void recurrentAndMatMulOpsHaveNoFloat16CpuKernels(@TempDir Path dir) throws Exception {
    List<String> fp16 = new ArrayList<>();
    List<String> fp32 = new ArrayList<>();
    for (var e : nodes().entrySet()) {
      (hasFp16Kernel(e.getValue(), dir) ? fp16 : fp32).add(e.getKey());
    }
    System.out.println("ONNX Runtime CPU float16 kernels: " + fp16 + "; Casts inserted (float32 kernels): " + fp32);
    boolean any = fp16.stream().anyMatch(op -> List.of("LSTM", "GRU", "RNN", "MatMul", "Gemm").contains(op));
    assertEquals(RuntimeCapabilities.load().flag(RuntimeCapabilities.ONNXRUNTIME_CPU, "fp16_cpu_compute_kernels"), any,
        "float16 kernels: " + fp16 + ", float32 with Casts: " + fp32);
  }
}
